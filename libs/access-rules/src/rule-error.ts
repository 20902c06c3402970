/** Every code an `AccessRuleError` can carry. The codes are stable; the edge maps each one to 400. */
export const RULE_ERROR_CODES = [
  'RULES.INVALID_RULE',
  'RULES.INVALID_ID',
  'RULES.INVALID_PRIORITY',
  'RULES.INVALID_HOST_PATTERN',
  'RULES.INVALID_PATH',
  'RULES.INVALID_METHOD',
  'RULES.INVALID_EFFECT',
  'RULES.INVALID_SUBJECTS',
  'RULES.PUBLIC_WITH_SUBJECTS',
  'RULES.DUPLICATE_ID',
] as const;

/** A stable code saying why a rule was refused, e.g. `RULES.INVALID_HOST_PATTERN`. */
export type RuleErrorCode = (typeof RULE_ERROR_CODES)[number];

/** Where a refused rule went wrong: the field at fault and the rule's id once it is known. */
export interface RuleErrorContext {
  readonly field?: string;
  readonly ruleId?: string;
}

/**
 * Thrown when a rule (or a set of rules) cannot be accepted. `code` is stable and meant for
 * programs; `message` is a sentence for an administrator and names what was wrong.
 */
export class AccessRuleError extends Error {
  override readonly name = 'AccessRuleError';
  readonly field: string | undefined;
  readonly ruleId: string | undefined;

  constructor(
    readonly code: RuleErrorCode,
    message: string,
    context: RuleErrorContext = {},
  ) {
    super(message);
    this.field = context.field;
    this.ruleId = context.ruleId;
  }
}
