import { alice, outcome, ruleId, type RuleFields } from './decide.fixture';

// Which of several matching rules decides: priority, then effect, then id.
describe('decide', () => {
  describe('given rules in every order', () => {
    const request = 'app.example.com/';

    it('when priorities differ, then the lower number decides whatever the effect', () => {
      const allowFirst: RuleFields[] = [{ id: 'a', priority: 1 }, { id: 'd', priority: 2, effect: 'deny' }];
      const denyFirst: RuleFields[] = [{ id: 'a', priority: 2 }, { id: 'd', priority: 1, effect: 'deny' }];
      expect(outcome(allowFirst, request, alice)).toBe('allow');
      expect(outcome(denyFirst, request, alice)).toBe('deny');
    });

    it('when priorities are equal, then deny wins over allow whatever the ids', () => {
      const rules: RuleFields[] = [
        { id: 'a-allow', priority: 5 },
        { id: 'z-deny', priority: 5, effect: 'deny' },
      ];
      expect(ruleId(rules, request, alice)).toBe('z-deny');
    });

    it('when priorities are equal, then deny comes before public and public before allow', () => {
      const publicAndAllow: RuleFields[] = [
        { id: 'a', priority: 5 },
        { id: 'b', priority: 5, effect: 'public' },
      ];
      const denyAndPublic: RuleFields[] = [
        { id: 'a', priority: 5, effect: 'public' },
        { id: 'b', priority: 5, effect: 'deny' },
      ];
      expect(ruleId(publicAndAllow, request, alice)).toBe('b');
      expect(ruleId(denyAndPublic, request, alice)).toBe('b');
    });

    it('when priority and effect are equal, then the lower id decides', () => {
      expect(ruleId([{ id: 'b' }, { id: 'a' }, { id: 'c' }], request, alice)).toBe('a');
    });

    it('when a wildcard rule has a lower number than an exact one, then the wildcard decides', () => {
      const rules: RuleFields[] = [
        { id: 'exact', priority: 5 },
        { id: 'wild', priority: 1, host: '*.example.com', effect: 'deny' },
      ];
      expect(ruleId(rules, request, alice)).toBe('wild');
    });
  });
});
