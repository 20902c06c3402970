import { compileRules } from './compile-rules';
import { decide } from './decide';
import { alice, ask, bob, carol, dave, outcome, rule, ruleId, type RuleFields } from './decide.fixture';

const NO_RULE_DENY = { outcome: 'deny', rule: null, reason: 'no-rule' };
const NO_RULE_AUTHENTICATE = { outcome: 'authenticate', rule: null, reason: 'no-rule' };

describe('decide', () => {
  describe('given an allow rule for *.example.com', () => {
    const rules = [{ id: 'wild', host: '*.example.com' }];

    it.each([
      'a.example.com/',
      'a.b.example.com/',
      'A.Example.COM/',
      'a.example.com./',
      'a.example.com:8443/',
      'A.B.EXAMPLE.COM.:443/',
    ])('when %s is asked for, then a principal is allowed', (request) => {
      expect(outcome(rules, request, alice)).toBe('allow');
    });

    it.each([
      'example.com/',
      'evil-example.com/',
      'example.com.evil.net/',
      'aexample.com/',
      'example.org/',
    ])('when %s is asked for, then no rule names it and the principal is denied', (request) => {
      expect(ask(rules, request, alice)).toEqual(NO_RULE_DENY);
    });
  });

  describe('given rules for IP literals', () => {
    const rules: RuleFields[] = [
      { id: 'v4', host: '10.0.0.1' },
      { id: 'v6', host: '[::1]', effect: 'deny' },
    ];

    it('when the host is an IPv4 address with a port, then its rule decides', () => {
      expect(ruleId(rules, '10.0.0.1:8080/', alice)).toBe('v4');
    });

    it('when the host is an IPv6 literal with a port, in any spelling, then its rule decides', () => {
      expect(ruleId(rules, '[::1]:8080/', alice)).toBe('v6');
      expect(ruleId(rules, '[0:0::1]/', alice)).toBe('v6');
    });
  });

  describe('given deny /admin before allow / on one host', () => {
    const rules: RuleFields[] = [
      { id: 'no-admin', priority: 1, paths: ['/admin'], effect: 'deny' },
      { id: 'site', priority: 2 },
    ];

    it.each([
      '/admin',
      '/admin/',
      '/admin/users?x=1',
      '/public/../admin',
      '/public/%2e%2e/admin',
      '//admin',
      '/x//../admin',
      '/%61dmin',
    ])('when %s is asked for, then it normalises under /admin and is denied', (path) => {
      expect(ruleId(rules, `app.example.com${path}`, alice)).toBe('no-admin');
    });

    it.each(['/adminx', '/ADMIN', '/?next=/admin', '/x?/admin'])(
      'when %s is asked for, then /admin does not cover it and the site rule allows',
      (path) => {
        expect(ruleId(rules, `app.example.com${path}`, alice)).toBe('site');
      },
    );

    it('when the deny rule ignores case, then /ADMIN/x is denied too, /Adminx still is not', () => {
      const folded = [{ ...rules[0], ignoreCase: true }, rules[1]];
      expect(outcome(folded, 'app.example.com/ADMIN/x', alice)).toBe('deny');
      expect(outcome(folded, 'app.example.com/Adminx', alice)).toBe('allow');
    });
  });

  describe('given a public rule for /public', () => {
    const rules: RuleFields[] = [{ id: 'pub', paths: ['/public'], effect: 'public' }];

    it.each([
      ['/public', 'public'],
      ['/public/app.js', 'public'],
      ['/public?redirect=/private', 'public'],
      ['/publicity', 'authenticate'],
      ['/private?path=/public', 'authenticate'],
      ['/private%23/public', 'authenticate'],
    ])('when an anonymous visitor asks for %s, then the outcome is %s', (path, expected) => {
      expect(outcome(rules, `app.example.com${path}`, null)).toBe(expected);
    });
  });

  describe('given a rule limited to GET and HEAD', () => {
    const rules = [{ id: 'read', methods: ['GET', 'HEAD'] }];

    it.each([
      ['GET', 'allow'],
      ['HEAD', 'allow'],
      ['POST', 'deny'],
      ['DELETE', 'deny'],
    ])('when the method is %s, then a principal gets %s', (method, expected) => {
      expect(outcome(rules, 'app.example.com/', alice, method)).toBe(expected);
    });
  });

  describe('given user and group subjects', () => {
    const rules: RuleFields[] = [
      {
        id: 'no-contractors',
        priority: 1,
        paths: ['/admin'],
        effect: 'deny',
        subjects: { groups: ['contractors'] },
      },
      { id: 'staff', priority: 2, subjects: { groups: ['staff'] } },
      { id: 'carol', priority: 3, subjects: { users: ['Carol@Example.com'] } },
    ];

    it.each([
      ['alice (staff)', alice, '/admin', 'allow', 'staff'],
      ['bob (contractors, staff)', bob, '/admin', 'deny', 'no-contractors'],
      ['bob (contractors, staff)', bob, '/home', 'allow', 'staff'],
      ['carol (a listed user)', carol, '/home', 'allow', 'carol'],
      ['dave (Staff, another group)', dave, '/home', 'deny', undefined],
    ])('when %s asks for %s, then the outcome is %s by rule %s', (_, who, path, expected, id) => {
      const decision = ask(rules, `app.example.com${path}`, who);
      expect(decision.outcome).toBe(expected);
      expect(decision.rule?.id).toBe(id);
      expect(decision.reason).toBe(id ? 'rule' : 'no-rule');
    });

    it('when nobody is logged in, then a rule naming subjects never applies', () => {
      expect(ask(rules, 'app.example.com/home', null)).toEqual(NO_RULE_AUTHENTICATE);
    });
  });

  describe('given an anonymous visitor', () => {
    it('when the first rule without subjects is public, then they are let in', () => {
      const rules: RuleFields[] = [
        { id: 'deny-bob', priority: 1, effect: 'deny', subjects: { users: ['bob@example.com'] } },
        { id: 'pub', priority: 2, effect: 'public' },
      ];
      expect(ask(rules, 'app.example.com/', null)).toMatchObject({ outcome: 'public', rule: { id: 'pub' } });
      expect(outcome(rules, 'app.example.com/', bob)).toBe('deny');
      expect(outcome(rules, 'app.example.com/', alice)).toBe('public');
    });

    it.each(['allow', 'deny'] as const)(
      'when a %s rule for everyone comes before a public one, then they must log in first',
      (effect) => {
        const rules: RuleFields[] = [
          { id: 'first', priority: 1, effect },
          { id: 'pub', priority: 2, effect: 'public' },
        ];
        expect(ask(rules, 'app.example.com/', null)).toMatchObject({
          outcome: 'authenticate',
          reason: 'rule',
          rule: { id: 'first' },
        });
      },
    );

    it('when no rule names the host, then they must log in first (decided after login)', () => {
      const rules = [{ id: 'other', host: 'other.example.com' }];
      expect(ask(rules, 'app.example.com/', null)).toEqual(NO_RULE_AUTHENTICATE);
    });
  });

  describe('given a host whose rules do not cover the path', () => {
    it('when a principal asks, then default deny applies', () => {
      expect(ask([{ id: 'api', paths: ['/api'] }], 'app.example.com/web', alice)).toEqual(NO_RULE_DENY);
    });
  });

  describe('given compiled rules', () => {
    it('when the same request is decided twice, then the same frozen decision object comes back', () => {
      const compiled = compileRules([rule({ id: 'a' })]);
      const request = { host: 'app.example.com', path: '/', method: 'GET' };
      const first = decide(compiled, request, alice);
      expect(decide(compiled, request, alice)).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      expect(first.rule).toBe(compiled.rules[0]);
    });
  });
});
