import { compileRules } from './compile-rules';
import { decide } from './decide';
import type { Principal } from './decision';
import { explain, type MatchedRule } from './explain';
import type { AccessRule } from './rule';

const rule = (fields: Partial<AccessRule> & Pick<AccessRule, 'id'>): AccessRule => ({
  priority: 10,
  host: 'app.example.com',
  effect: 'allow',
  ...fields,
});

const compiled = compileRules([
  rule({ id: 'pub-assets', priority: 1, paths: ['/assets'], effect: 'public' }),
  rule({ id: 'deny-contractors', priority: 2, effect: 'deny', subjects: { groups: ['contractors'] } }),
  rule({ id: 'admins-write', priority: 3, methods: ['POST'], subjects: { groups: ['admins'] } }),
  rule({ id: 'staff', priority: 4, subjects: { groups: ['staff'] } }),
  rule({ id: 'everyone', priority: 5, host: '*.example.com' }),
]);

const summary = (matched: readonly MatchedRule[]) =>
  matched.map(({ rule: r, applies, why, decisive }) => [r.id, applies, why, decisive]);

const alice: Principal = { id: 'alice@example.com', groups: new Set(['staff']) };
const request = { host: 'app.example.com', path: '/home', method: 'GET' };

describe('explain', () => {
  describe('given a principal in staff', () => {
    const explanation = explain(compiled, request, alice);

    it('when explained, then the decision is exactly what decide answers', () => {
      expect(explanation.decision).toBe(decide(compiled, request, alice));
      expect(explanation.decision).toMatchObject({ outcome: 'allow', rule: { id: 'staff' } });
    });

    it('when explained, then the exact host entry is named', () => {
      expect(explanation.hostPattern).toEqual({ kind: 'exact', host: 'app.example.com' });
    });

    it('when explained, then the rules covering the request are listed in order, with why they apply', () => {
      expect(summary(explanation.matched)).toEqual([
        ['deny-contractors', false, 'not-a-subject', false],
        ['staff', true, 'group', true],
        ['everyone', true, 'no-subjects', false],
      ]);
    });

    it('when explained, then the rules that do not cover the request say what kept them out', () => {
      expect(explanation.unmatched.map(({ rule: r, why }) => [r.id, why])).toEqual([
        ['pub-assets', 'path'],
        ['admins-write', 'method'],
      ]);
    });
  });

  describe('given an anonymous visitor', () => {
    it('when explained, then rules naming subjects say anonymous and the first open rule decides', () => {
      const explanation = explain(compiled, request, null);
      expect(explanation.decision).toMatchObject({ outcome: 'authenticate', rule: { id: 'everyone' } });
      expect(summary(explanation.matched)).toEqual([
        ['deny-contractors', false, 'anonymous', false],
        ['staff', false, 'anonymous', false],
        ['everyone', true, 'no-subjects', true],
      ]);
    });

    it('when a public rule covers the request, then it is listed as applying and decisive', () => {
      const explanation = explain(compiled, { ...request, path: '/assets/app.js' }, null);
      expect(explanation.decision.outcome).toBe('public');
      expect(summary(explanation.matched)[0]).toEqual(['pub-assets', true, 'public', true]);
    });
  });

  describe('given a host only a wildcard covers', () => {
    it('when explained, then the wildcard suffix is named', () => {
      const explanation = explain(compiled, { ...request, host: 'other.example.com' }, alice);
      expect(explanation.hostPattern).toEqual({ kind: 'wildcard', suffix: 'example.com' });
      expect(explanation.matched.map((m) => m.rule.id)).toEqual(['everyone']);
    });
  });

  describe('given a host no rule names', () => {
    it('when explained, then nothing matched and the default decided', () => {
      const explanation = explain(compiled, { ...request, host: 'example.org' }, alice);
      expect(explanation).toEqual({
        decision: { outcome: 'deny', rule: null, reason: 'no-rule' },
        hostPattern: null,
        matched: [],
        unmatched: [],
      });
    });
  });
});
