// The access-rule engine: pure (no I/O, no Nest), shared by directory (validate, explain) and
// verify (decide every request from memory). See the README for the evaluation order.
export {
  AccessRuleError,
  RULE_ERROR_CODES,
  type RuleErrorCode,
  type RuleErrorContext,
} from './rule-error';
export { normalizeHost } from './normalize-host';
export { formatHostPattern, hostMatches, parseHostPattern, type HostPattern } from './host-pattern';
export { normalizePath, type NormalizedPath, type PathRejection } from './normalize-path';
export { pathHasPrefix } from './path-prefix';
export { compareRules, EFFECTS, type AccessRule, type Effect, type RuleSubjects } from './rule';
export { validateRule } from './validate-rule';
export { storedRule } from './stored-rule';
export { compileRules, type CompiledRules } from './compile-rules';
export type { AccessRequest, Decision, Principal } from './decision';
export { decide } from './decide';
export {
  explain,
  type Explanation,
  type ExplainedReason,
  type MatchedRule,
  type UnmatchedRule,
} from './explain';
