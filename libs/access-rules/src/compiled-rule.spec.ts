import { appliesTo, compileRule, coversRequest } from './compiled-rule';
import type { Principal } from './decision';
import { validateRule } from './validate-rule';

const compile = (fields: object) =>
  compileRule(validateRule({ id: 'r', priority: 1, host: 'app.example.com', effect: 'allow', ...fields }));
const principal = (id: string, ...groups: string[]): Principal => ({ id, groups: new Set(groups) });

describe('coversRequest', () => {
  it('given a rule without paths or methods, when any request comes, then it is covered', () => {
    expect(coversRequest(compile({}), '/anything', 'DELETE')).toBe(true);
  });

  describe('given paths /admin and /api/', () => {
    const rule = compile({ paths: ['/admin', '/api/'] });

    it.each([
      ['/admin', true],
      ['/admin/users', true],
      ['/api/', true],
      ['/api/v1', true],
      ['/adminx', false],
      ['/api', false],
      ['/ADMIN', false],
      ['/', false],
    ])('when the path is %j, then covered is %s', (path, covered) => {
      expect(coversRequest(rule, path, 'GET')).toBe(covered);
    });
  });

  describe('given an encoded prefix /caf%C3%A9', () => {
    it('when the normalised request path is /café/menu, then it is covered', () => {
      expect(coversRequest(compile({ paths: ['/caf%C3%A9'] }), '/café/menu', 'GET')).toBe(true);
    });
  });

  describe('given ignoreCase on /admin', () => {
    it('when the path is /ADMIN/x, then it is covered', () => {
      expect(coversRequest(compile({ paths: ['/admin'], ignoreCase: true }), '/ADMIN/x', 'GET')).toBe(true);
    });
  });

  describe('given methods GET and HEAD', () => {
    const rule = compile({ methods: ['GET', 'HEAD'] });

    it.each([
      ['GET', true],
      ['HEAD', true],
      ['POST', false],
      ['get', false],
    ])('when the method is %j, then covered is %s', (method, covered) => {
      expect(coversRequest(rule, '/', method)).toBe(covered);
    });
  });
});

describe('appliesTo', () => {
  const alice = principal('alice@example.com', 'staff');

  it('given a public rule, when asked for anyone, then it applies as public', () => {
    expect(appliesTo(compile({ effect: 'public' }), principal('x'))).toBe('public');
  });

  it('given a rule naming no subjects, when asked for anyone, then it applies', () => {
    expect(appliesTo(compile({}), principal('x'))).toBe('no-subjects');
    expect(appliesTo(compile({ effect: 'deny' }), principal('x'))).toBe('no-subjects');
  });

  it('given a rule naming a user, when that user asks, then it applies by user', () => {
    expect(appliesTo(compile({ subjects: { users: ['Alice@Example.com'] } }), alice)).toBe('user');
  });

  it('given a rule naming a group, when a member asks, then it applies by group', () => {
    expect(appliesTo(compile({ subjects: { groups: ['admins', 'staff'] } }), alice)).toBe('group');
  });

  it('given a rule naming others, when someone else asks, then it does not apply', () => {
    const rule = compile({ subjects: { users: ['bob@example.com'], groups: ['admins', 'Staff'] } });
    expect(appliesTo(rule, alice)).toBeNull();
  });
});

describe('compileRule', () => {
  it('given a rule, then its decisions are built once and frozen', () => {
    const rule = compile({ effect: 'deny' });
    expect(rule.decision).toEqual({ outcome: 'deny', rule: rule.rule, reason: 'rule' });
    expect(rule.anonymousDecision).toEqual({ outcome: 'authenticate', rule: rule.rule, reason: 'rule' });
    expect(Object.isFrozen(rule.decision)).toBe(true);
    expect(compile({ effect: 'public' }).anonymousDecision.outcome).toBe('public');
  });
});
