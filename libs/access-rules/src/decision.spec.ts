import { anonymousDecisionOf, NO_RULE_AUTHENTICATE, NO_RULE_DENY, principalDecisionOf } from './decision';
import type { AccessRule, Effect } from './rule';

const rule = (effect: Effect): AccessRule => ({ id: 'r', priority: 1, host: 'a.example.com', effect });

describe('decisions', () => {
  it('given no rule, then a principal is denied and an anonymous visitor must authenticate', () => {
    expect(NO_RULE_DENY).toEqual({ outcome: 'deny', rule: null, reason: 'no-rule' });
    expect(NO_RULE_AUTHENTICATE).toEqual({ outcome: 'authenticate', rule: null, reason: 'no-rule' });
    expect(Object.isFrozen(NO_RULE_DENY) && Object.isFrozen(NO_RULE_AUTHENTICATE)).toBe(true);
  });

  it.each<Effect>(['allow', 'deny', 'public'])('given a %s rule, then a principal gets its effect', (effect) => {
    expect(principalDecisionOf(rule(effect))).toEqual({ outcome: effect, rule: rule(effect), reason: 'rule' });
  });

  it.each([
    ['public', 'public'],
    ['allow', 'authenticate'],
    ['deny', 'authenticate'],
  ] as const)('given a %s rule, then an anonymous visitor gets %s', (effect, outcome) => {
    expect(anonymousDecisionOf(rule(effect))).toEqual({ outcome, rule: rule(effect), reason: 'rule' });
  });
});
