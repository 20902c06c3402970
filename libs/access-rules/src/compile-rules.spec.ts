import { compileRules } from './compile-rules';
import type { AccessRule } from './rule';

const rule = (id: string, fields: Partial<AccessRule> = {}): AccessRule => ({
  id,
  priority: 10,
  host: 'app.example.com',
  effect: 'allow',
  ...fields,
});

describe('compileRules', () => {
  describe('given rules in any order', () => {
    const rules = [
      rule('c', { priority: 5 }),
      rule('b', { priority: 5, effect: 'deny' }),
      rule('a', { priority: 7, effect: 'public' }),
      rule('d', { priority: 1, host: '*.example.com' }),
    ];

    it('when compiled, then the rule list is in evaluation order', () => {
      expect(compileRules(rules).rules.map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
      expect(compileRules([...rules].reverse()).rules.map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
    });

    it('when compiled, then the rules come back normalised and the result is frozen', () => {
      const compiled = compileRules([rule('x', { host: 'APP.example.com.:443', paths: ['//a/../b'] })]);
      expect(compiled.rules[0]).toEqual({
        id: 'x',
        priority: 10,
        host: 'app.example.com',
        paths: ['/b'],
        effect: 'allow',
      });
      expect(Object.isFrozen(compiled)).toBe(true);
      expect(Object.isFrozen(compiled.rules)).toBe(true);
    });
  });

  describe('given an invalid rule among valid ones', () => {
    it('when compiled, then the whole set is refused with that rule named', () => {
      const attempt = () => compileRules([rule('ok'), rule('bad', { host: '*.com' })]);
      expect(attempt).toThrow(expect.objectContaining({ code: 'RULES.INVALID_HOST_PATTERN', ruleId: 'bad' }));
    });
  });

  describe('given two rules with one id', () => {
    it('when compiled, then RULES.DUPLICATE_ID is thrown', () => {
      const attempt = () => compileRules([rule('same'), rule('same', { priority: 1 })]);
      expect(attempt).toThrow(expect.objectContaining({ code: 'RULES.DUPLICATE_ID', ruleId: 'same' }));
    });
  });

  describe('given no rules', () => {
    it('when compiled, then the set is empty', () => {
      expect(compileRules([]).rules).toEqual([]);
    });
  });
});
