import type { CompiledRules } from './compile-rules';
import { appliesTo, coversRequest } from './compiled-rule';
import {
  NO_RULE_AUTHENTICATE,
  NO_RULE_DENY,
  type AccessRequest,
  type Decision,
  type Principal,
} from './decision';
import { lookupHost } from './host-index';

/**
 * Decides one request from the compiled rules. Host and path must already be normalised
 * (`normalizeHost`, `normalizePath`).
 *
 * The rules covering the request's host, path and method are walked in evaluation order
 * (`compareRules`). A rule applies to a principal when it is `public`, names no subjects, lists
 * the principal's id, or lists one of the principal's groups.
 * - A principal: the first rule that applies decides (`allow`, `deny` or `public`); when none
 *   does, `deny` with reason `no-rule` (default deny, also for a host no rule names).
 * - An anonymous visitor (`principal` null): rules naming subjects are skipped; if the first
 *   remaining rule is `public` the outcome is `public`, anything else (an `allow` or `deny` for
 *   everyone, or no rule) is `authenticate`: log in first, the rules are asked again after.
 *
 * Returns shared frozen decisions built at compile time: the hot path allocates nothing.
 */
export function decide(
  compiled: CompiledRules,
  request: AccessRequest,
  principal: Principal | null,
): Decision {
  const entry = lookupHost(compiled.index, request.host);
  if (entry !== undefined) {
    const rules = entry.values;
    const { path, method } = request;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!coversRequest(rule, path, method)) continue;
      if (principal === null) {
        if (!rule.hasSubjects) return rule.anonymousDecision;
      } else if (appliesTo(rule, principal) !== null) {
        return rule.decision;
      }
    }
  }
  return principal === null ? NO_RULE_AUTHENTICATE : NO_RULE_DENY;
}
