import { AccessRuleError, RULE_ERROR_CODES } from './rule-error';

describe('AccessRuleError', () => {
  it('given a code, a message and a context, then it carries them all and is an Error', () => {
    const context = { field: 'paths', ruleId: 'r1' };
    const error = new AccessRuleError('RULES.INVALID_PATH', 'path "x" is bad', context);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AccessRuleError');
    expect(error.code).toBe('RULES.INVALID_PATH');
    expect(error.message).toBe('path "x" is bad');
    expect(error.field).toBe('paths');
    expect(error.ruleId).toBe('r1');
  });

  it('given the code list, then every code is namespaced RULES. and unique', () => {
    expect(new Set(RULE_ERROR_CODES).size).toBe(RULE_ERROR_CODES.length);
    for (const code of RULE_ERROR_CODES) expect(code).toMatch(/^RULES\.[A-Z_]+$/);
  });
});
