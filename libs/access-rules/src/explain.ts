import type { CompiledRules } from './compile-rules';
import { appliesTo, coversRequest, type ApplyReason, type CompiledRule } from './compiled-rule';
import type { AccessRequest, Decision, Principal } from './decision';
import { decide } from './decide';
import { lookupHost } from './host-index';
import type { HostPattern } from './host-pattern';
import type { AccessRule } from './rule';

/**
 * Why a rule that covers the request does or does not apply to the visitor:
 * `public`, `no-subjects`, `user`, `group` (it applies), `not-a-subject` (the principal is neither
 * a listed user nor in a listed group), `anonymous` (the rule names subjects; an anonymous visitor
 * is never one of them).
 */
export type ExplainedReason = ApplyReason | 'not-a-subject' | 'anonymous';

/** A rule covering the request's host, path and method, and how it stands towards the visitor. */
export interface MatchedRule {
  readonly rule: AccessRule;
  readonly applies: boolean;
  readonly why: ExplainedReason;
  /** True for the one rule that gave the decision. */
  readonly decisive: boolean;
}

/** A rule for the request's host that does not cover its path or its method. */
export interface UnmatchedRule {
  readonly rule: AccessRule;
  readonly why: 'path' | 'method';
}

/** The decision with its working, for the admin "explain a decision" endpoint. */
export interface Explanation {
  /** Exactly what `decide` answers for the same arguments. */
  readonly decision: Decision;
  /** The exact host or most specific wildcard the host's rules were found under; null when none. */
  readonly hostPattern: HostPattern | null;
  /** Rules covering host, path and method, in evaluation order. */
  readonly matched: readonly MatchedRule[];
  /** Rules for the host that do not cover the path or the method, in evaluation order. */
  readonly unmatched: readonly UnmatchedRule[];
}

/**
 * Explains a decision: `decide`'s answer, then every rule for the request's host in evaluation
 * order, split into those covering the path and method (with whether each applies to the visitor
 * and why, and which one decided) and those that do not (and whether the path or the method kept
 * them out). Not for the hot path: it allocates freely.
 */
export function explain(
  compiled: CompiledRules,
  request: AccessRequest,
  principal: Principal | null,
): Explanation {
  const decision = decide(compiled, request, principal);
  const entry = lookupHost(compiled.index, request.host);
  const matched: MatchedRule[] = [];
  const unmatched: UnmatchedRule[] = [];
  for (const rule of entry?.values ?? []) {
    if (coversRequest(rule, request.path, request.method)) {
      const why = reasonFor(rule, principal);
      const applies = why !== 'not-a-subject' && why !== 'anonymous';
      matched.push({ rule: rule.rule, applies, why, decisive: decision.rule === rule.rule });
    } else {
      unmatched.push({ rule: rule.rule, why: coversMethod(rule, request.method) ? 'path' : 'method' });
    }
  }
  return { decision, hostPattern: entry?.pattern ?? null, matched, unmatched };
}

function reasonFor(rule: CompiledRule, principal: Principal | null): ExplainedReason {
  if (principal === null) {
    if (rule.effect === 'public') return 'public';
    return rule.hasSubjects ? 'anonymous' : 'no-subjects';
  }
  return appliesTo(rule, principal) ?? 'not-a-subject';
}

function coversMethod(rule: CompiledRule, method: string): boolean {
  return rule.methods === null || rule.methods.includes(method);
}
