import type { AccessRule } from './rule';
import type { RuleErrorCode } from './rule-error';
import { validateRule } from './validate-rule';

const base = { id: 'r1', priority: 10, host: 'app.example.com', effect: 'allow' };

function refusedWith(input: unknown, code: RuleErrorCode, field?: string): void {
  expect(() => validateRule(input)).toThrow(
    expect.objectContaining({ name: 'AccessRuleError', code, ...(field ? { field } : {}) }),
  );
}

describe('validateRule', () => {
  describe('given a minimal rule', () => {
    it('when validated, then it comes back equal and deeply frozen', () => {
      const rule = validateRule(base);
      expect(rule).toEqual(base);
      expect(Object.isFrozen(rule)).toBe(true);
    });
  });

  describe('given a rule to normalise', () => {
    const rule = validateRule({
      id: 'r2',
      priority: -3,
      host: '*.Example.COM.:443',
      paths: ['/Admin', '//api/../api/', '/Admin', '/caf%c3%a9'],
      methods: ['GET', 'POST', 'GET'],
      effect: 'deny',
      subjects: {
        users: ['Alice@Example.com', 'alice@example.com', 'svc-backup'],
        groups: ['Ops', 'Ops', 'ops'],
      },
      ignoreCase: true,
    });

    it('when validated, then the host pattern is canonical', () => {
      expect(rule.host).toBe('*.example.com');
    });

    it('when validated, then paths are normalised and de-duplicated but keep their case', () => {
      expect(rule.paths).toEqual(['/Admin', '/api/', '/caf%C3%A9']);
    });

    it('when validated, then methods are de-duplicated', () => {
      expect(rule.methods).toEqual(['GET', 'POST']);
    });

    it('when validated, then users are lower-cased and de-duplicated, groups kept as written', () => {
      expect(rule.subjects).toEqual({ users: ['alice@example.com', 'svc-backup'], groups: ['Ops', 'ops'] });
      expect(Object.isFrozen(rule.subjects)).toBe(true);
      expect(Object.isFrozen(rule.subjects?.users)).toBe(true);
      expect(Object.isFrozen(rule.paths)).toBe(true);
    });

    it('when validated again, then nothing changes', () => {
      expect(validateRule(rule)).toEqual(rule);
    });
  });

  describe('given ignoreCase false', () => {
    it('when validated, then the field is left out', () => {
      expect(validateRule({ ...base, ignoreCase: false })).toEqual(base);
    });
  });

  describe('given a rule that cannot be accepted', () => {
    const rule = (fields: object) => ({ ...base, ...fields });
    const subjects = (value: unknown) => rule({ subjects: value });
    const protoKey = JSON.parse('{"id":"r","priority":1,"host":"a.b","effect":"allow","__proto__":{}}');

    it.each<[string, unknown, RuleErrorCode, string | undefined]>([
      ['not an object', 'allow all', 'RULES.INVALID_RULE', undefined],
      ['null', null, 'RULES.INVALID_RULE', undefined],
      ['an array', [base], 'RULES.INVALID_RULE', undefined],
      ['a misspelt field', rule({ path: ['/public'] }), 'RULES.INVALID_RULE', 'path'],
      ['a __proto__ key', protoKey, 'RULES.INVALID_RULE', '__proto__'],
      ['a string ignoreCase', rule({ ignoreCase: 'yes' }), 'RULES.INVALID_RULE', 'ignoreCase'],
      ['no id', rule({ id: undefined }), 'RULES.INVALID_ID', 'id'],
      ['an empty id', rule({ id: '' }), 'RULES.INVALID_ID', 'id'],
      ['an id with a space', rule({ id: 'a b' }), 'RULES.INVALID_ID', 'id'],
      ['an id over 200 characters', rule({ id: 'x'.repeat(201) }), 'RULES.INVALID_ID', 'id'],
      ['no priority', rule({ priority: undefined }), 'RULES.INVALID_PRIORITY', 'priority'],
      ['a string priority', rule({ priority: '1' }), 'RULES.INVALID_PRIORITY', 'priority'],
      ['a fractional priority', rule({ priority: 1.5 }), 'RULES.INVALID_PRIORITY', 'priority'],
      ['a NaN priority', rule({ priority: NaN }), 'RULES.INVALID_PRIORITY', 'priority'],
      ['an infinite priority', rule({ priority: Infinity }), 'RULES.INVALID_PRIORITY', 'priority'],
      ['no host', rule({ host: undefined }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host of *', rule({ host: '*' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host of *.com', rule({ host: '*.com' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host of a.*.com', rule({ host: 'a.*.com' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host with userinfo', rule({ host: 'u@example.com' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host with a space', rule({ host: 'a example.com' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['a host with a NUL', rule({ host: 'example.com\0' }), 'RULES.INVALID_HOST_PATTERN', 'host'],
      ['paths as a string', rule({ paths: '/admin' }), 'RULES.INVALID_PATH', 'paths'],
      ['an empty path list', rule({ paths: [] }), 'RULES.INVALID_PATH', 'paths'],
      ['a relative path', rule({ paths: ['admin'] }), 'RULES.INVALID_PATH', 'paths'],
      ['a path with a query', rule({ paths: ['/admin?x=1'] }), 'RULES.INVALID_PATH', 'paths'],
      ['a path with an encoded slash', rule({ paths: ['/a%2Fb'] }), 'RULES.INVALID_PATH', 'paths'],
      ['a path with /..;/', rule({ paths: ['/..;/a'] }), 'RULES.INVALID_PATH', 'paths'],
      ['an empty method list', rule({ methods: [] }), 'RULES.INVALID_METHOD', 'methods'],
      ['a lower-case method', rule({ methods: ['get'] }), 'RULES.INVALID_METHOD', 'methods'],
      ['a mixed method', rule({ methods: ['GETz'] }), 'RULES.INVALID_METHOD', 'methods'],
      ['a 21-letter method', rule({ methods: ['A'.repeat(21)] }), 'RULES.INVALID_METHOD', 'methods'],
      ['an empty method', rule({ methods: [''] }), 'RULES.INVALID_METHOD', 'methods'],
      ['a method with a hyphen', rule({ methods: ['M-SEARCH'] }), 'RULES.INVALID_METHOD', 'methods'],
      ['no effect', rule({ effect: undefined }), 'RULES.INVALID_EFFECT', 'effect'],
      ['an unknown effect', rule({ effect: 'bypass' }), 'RULES.INVALID_EFFECT', 'effect'],
      ['an upper-case effect', rule({ effect: 'ALLOW' }), 'RULES.INVALID_EFFECT', 'effect'],
      ['subjects naming no one', subjects({ users: [], groups: [] }), 'RULES.INVALID_SUBJECTS', 'subjects'],
      ['empty subjects', subjects({}), 'RULES.INVALID_SUBJECTS', 'subjects'],
      ['subjects as a list', subjects(['a@b.c']), 'RULES.INVALID_SUBJECTS', 'subjects'],
      ['an unknown subject field', subjects({ user: ['a@b.c'] }), 'RULES.INVALID_SUBJECTS', 'subjects.user'],
      ['users as a string', subjects({ users: 'a@b.c' }), 'RULES.INVALID_SUBJECTS', 'subjects.users'],
      ['an empty user', subjects({ users: [''] }), 'RULES.INVALID_SUBJECTS', 'subjects.users'],
      ['a user with a space', subjects({ users: ['a @b.c'] }), 'RULES.INVALID_SUBJECTS', 'subjects.users'],
      ['a group with outer spaces', subjects({ groups: [' ops'] }), 'RULES.INVALID_SUBJECTS', 'subjects.groups'],
      ['a group with a newline', subjects({ groups: ['o\nps'] }), 'RULES.INVALID_SUBJECTS', 'subjects.groups'],
      ['a numeric group', subjects({ groups: [7] }), 'RULES.INVALID_SUBJECTS', 'subjects.groups'],
    ])('when it has %s, then it is refused', (_, input, code, field) => {
      refusedWith(input, code, field);
    });

    it.each([{ users: ['a@b.c'] }, {}])('when a public rule has subjects %j, then it is refused', (value) => {
      refusedWith(rule({ effect: 'public', subjects: value }), 'RULES.PUBLIC_WITH_SUBJECTS', 'subjects');
    });

    it('when a field is wrong, then the message names the rule and the problem', () => {
      expect(() => validateRule({ ...base, methods: ['get'] })).toThrow(
        'rule "r1": method "get" is not 1-20 upper-case letters',
      );
      expect(() => validateRule({ ...base, host: '*.com' })).toThrow(
        expect.objectContaining({
          ruleId: 'r1',
          message: expect.stringMatching(/^rule "r1": host pattern "\*\.com" puts a wildcard over a single/),
        }),
      );
    });
  });

  it('given a group with a space inside, when validated, then it is kept', () => {
    const rule: AccessRule = validateRule({ ...base, subjects: { groups: ['Domain Admins'] } });
    expect(rule.subjects?.groups).toEqual(['Domain Admins']);
  });
});
