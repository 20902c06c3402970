import type { DirectoryEvent } from '@gate/events';
import { ruleDecider, type RuleCommand } from './rule.decider';

const given = (...history: DirectoryEvent[]) => ({
  when: (command: RuleCommand) => ruleDecider.decide(command, history.reduce(ruleDecider.evolve, ruleDecider.initialState())),
});
const input = { id: 'wiki-admin', priority: 10, host: 'Wiki.Example.com.:443', paths: ['/admin'], effect: 'allow', subjects: { groups: ['wiki-editors'] } };
const defined: DirectoryEvent = {
  type: 'RuleDefined',
  data: { rule: { id: 'wiki-admin', priority: 10, host: 'wiki.example.com', paths: ['/admin'], effect: 'allow', subjects: { groups: ['wiki-editors'] } } },
};

describe('rule decider', () => {
  it('defines a rule in its normalised form (host lower-cased, trailing dot and port dropped)', () => {
    expect(given().when({ type: 'DefineRule', rule: input })).toEqual([defined]);
  });

  it('refuses an invalid rule with the engine\'s code, and a duplicate id', () => {
    expect(() => given().when({ type: 'DefineRule', rule: { ...input, host: '*.com' } })).toThrow(
      expect.objectContaining({ code: 'RULES.INVALID_HOST_PATTERN' }),
    );
    expect(() => given().when({ type: 'DefineRule', rule: { ...input, path: ['/x'] } })).toThrow(expect.objectContaining({ code: 'RULES.INVALID_RULE' }));
    expect(() => given(defined).when({ type: 'DefineRule', rule: input })).toThrow(expect.objectContaining({ code: 'DIRECTORY.RULE_EXISTS' }));
  });

  it('changes a rule, and makes no event when the change normalises to the same rule', () => {
    expect(given(defined).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: { ...input, effect: 'deny' } })).toEqual([
      { type: 'RuleChanged', data: { rule: { ...(defined.data as { rule: object }).rule, effect: 'deny' } } },
    ]);
    expect(given(defined).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: input })).toEqual([]);
    expect(() => given(defined).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: { ...input, id: 'other' } })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.INVALID_INPUT' }),
    );
  });

  it('removes a rule once; changing or removing a missing rule is not found', () => {
    const removed: DirectoryEvent = { type: 'RuleRemoved', data: { ruleId: 'wiki-admin' } };
    expect(given(defined).when({ type: 'RemoveRule', ruleId: 'wiki-admin' })).toEqual([removed]);
    expect(() => given(defined, removed).when({ type: 'RemoveRule', ruleId: 'wiki-admin' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.RULE_NOT_FOUND' }),
    );
    expect(() => given().when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: input })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.RULE_NOT_FOUND' }),
    );
  });

  describe('given a stored rule that today\'s validator would refuse', () => {
    // Accepted by an older directory: a field the API no longer takes, a method in lower case.
    const old: DirectoryEvent = {
      type: 'RuleDefined',
      data: { rule: { id: 'wiki-admin', priority: 10, host: 'wiki.example.com', methods: ['get'], effect: 'allow', subjects: { groups: ['wiki-editors'] }, description: 'old' } },
    };

    it('folds it as it is, and the rule can still be changed and removed', () => {
      expect(ruleDecider.evolve(ruleDecider.initialState(), old)).toEqual({ status: 'active', rule: (old.data as { rule: object }).rule });
      expect(given(old).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: input })).toEqual([{ type: 'RuleChanged', data: { rule: (defined.data as { rule: object }).rule } }]);
      expect(given(old).when({ type: 'RemoveRule', ruleId: 'wiki-admin' })).toEqual([{ type: 'RuleRemoved', data: { ruleId: 'wiki-admin' } }]);
    });

    it('still refuses the same flaws in new input', () => {
      const { description: _, ...rule } = (old.data as { rule: Record<string, unknown> }).rule;
      expect(() => given(old).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule })).toThrow(expect.objectContaining({ code: 'RULES.INVALID_METHOD' }));
    });
  });

  it('makes no event for a change equal to the stored rule whatever the stored key order (jsonb keeps none)', () => {
    const reordered: DirectoryEvent = {
      type: 'RuleDefined',
      data: { rule: { subjects: { groups: ['wiki-editors'] }, effect: 'allow', paths: ['/admin'], host: 'wiki.example.com', priority: 10, id: 'wiki-admin' } },
    };
    expect(given(reordered).when({ type: 'ChangeRule', ruleId: 'wiki-admin', rule: input })).toEqual([]);
  });
});
