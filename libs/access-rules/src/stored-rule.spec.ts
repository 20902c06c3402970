import { compileRules } from './compile-rules';
import { decide } from './decide';
import { storedRule } from './stored-rule';
import { validateRule } from './validate-rule';

const base = { id: 'wiki', priority: 10, host: 'wiki.example.com', effect: 'allow', subjects: { groups: ['staff'] } };

describe('storedRule reads a rule accepted once, without the input policy', () => {
  it('given a normalised rule, then it is the rule validateRule gives', () => {
    const input = { ...base, host: 'Wiki.Example.com.:443', paths: ['//a/../b'], methods: ['GET'], subjects: { users: ['Ann@Example.com'] }, ignoreCase: true };
    expect(storedRule(validateRule(input))).toEqual(validateRule(input));
    expect(storedRule(input)).toEqual(validateRule(input));
  });

  // Each of these is in the log if an older directory accepted it; today's validateRule refuses it.
  it.each([
    ['an unknown field', { ...base, description: 'from an older API' }, { ...base }],
    ['an id with a space', { ...base, id: 'old rule' }, { ...base, id: 'old rule' }],
    ['a lower-case method', { ...base, methods: ['get'] }, { ...base, methods: ['get'] }],
    ['an empty path list', { ...base, paths: [] }, { ...base, paths: [] }],
    ['a public rule naming subjects', { ...base, effect: 'public' }, { id: 'wiki', priority: 10, host: 'wiki.example.com', effect: 'public' }],
    ['a group with a control character', { ...base, subjects: { groups: ['a\tb'] } }, { ...base, subjects: { groups: ['a\tb'] } }],
  ])('given %s, then validateRule refuses it and storedRule reads it', (_what, stored, read) => {
    expect(() => validateRule(stored)).toThrow();
    expect(storedRule(stored)).toEqual(read);
  });

  it('given such a rule among others, then the set compiles and decides', () => {
    const compiled = compileRules([{ ...base, description: 'old' } as never, { id: 'deny-all', priority: 99, host: 'wiki.example.com', effect: 'deny' }]);
    const request = { host: 'wiki.example.com', path: '/', method: 'GET' };
    expect(decide(compiled, request, { id: 'ann@example.com', groups: new Set(['staff']) }).outcome).toBe('allow');
    expect(decide(compiled, request, { id: 'bob@example.com', groups: new Set() }).outcome).toBe('deny');
  });

  it.each([
    ['a wildcard over one label (the host index cannot serve it)', { ...base, host: '*.com' }, 'RULES.INVALID_HOST_PATTERN'],
    ['a host that is no host', { ...base, host: 'wiki example' }, 'RULES.INVALID_HOST_PATTERN'],
    ['a path that does not normalise', { ...base, paths: ['/a%2Fb'] }, 'RULES.INVALID_PATH'],
    ['an unknown effect', { ...base, effect: 'maybe' }, 'RULES.INVALID_EFFECT'],
    ['subjects naming no one (matching would read it as everyone)', { ...base, subjects: {} }, 'RULES.INVALID_SUBJECTS'],
    ['no priority', { ...base, priority: undefined }, 'RULES.INVALID_PRIORITY'],
  ])('given %s, then the engine cannot match it: %s', (_what, stored, code) => {
    expect(() => storedRule(stored)).toThrow(expect.objectContaining({ code, ruleId: 'wiki' }));
  });
});
