import { anonymousDecisionOf, principalDecisionOf, type Decision, type Principal } from './decision';
import { pathHasPrefix } from './path-prefix';
import type { AccessRule, Effect } from './rule';
import { decodeRulePath } from './rule-path';

/**
 * A validated rule prepared for the hot path: decoded prefixes, a user set, and the decisions it
 * gives, built once so that deciding allocates nothing.
 */
export interface CompiledRule {
  readonly rule: AccessRule;
  /** The rule's effect, kept here so the hot path reads one object per rule. */
  readonly effect: Effect;
  /** Decoded path prefixes, or null for every path. */
  readonly paths: readonly string[] | null;
  readonly methods: readonly string[] | null;
  readonly ignoreCase: boolean;
  /** True when the rule names users or groups (it then never applies to an anonymous visitor). */
  readonly hasSubjects: boolean;
  /** Listed user ids, or null when the rule lists none. */
  readonly users: ReadonlySet<string> | null;
  readonly groups: readonly string[];
  /** The decision when the rule applies to a principal. */
  readonly decision: Decision;
  /** The decision when the rule is the first that could apply to an anonymous visitor. */
  readonly anonymousDecision: Decision;
}

/** Why a rule applies to a principal: it is public, names no subjects, lists the user or a group. */
export type ApplyReason = 'public' | 'no-subjects' | 'user' | 'group';

/** Prepares one rule, which must already be normalised by `validateRule`. */
export function compileRule(rule: AccessRule): CompiledRule {
  const users = rule.subjects?.users ?? [];
  const groups = rule.subjects?.groups ?? [];
  return Object.freeze({
    rule,
    effect: rule.effect,
    paths: rule.paths ? Object.freeze(rule.paths.map(decodeRulePath)) : null,
    methods: rule.methods ?? null,
    ignoreCase: rule.ignoreCase === true,
    hasSubjects: users.length + groups.length > 0,
    users: users.length > 0 ? new Set(users) : null,
    groups,
    decision: principalDecisionOf(rule),
    anonymousDecision: anonymousDecisionOf(rule),
  });
}

/** True when the rule covers a normalised path and a method; the host was matched by the index. */
export function coversRequest(compiled: CompiledRule, path: string, method: string): boolean {
  const { methods, paths } = compiled;
  if (methods !== null && !hasMethod(methods, method)) return false;
  if (paths === null) return true;
  for (let i = 0; i < paths.length; i++) {
    if (pathHasPrefix(path, paths[i], compiled.ignoreCase)) return true;
  }
  return false;
}

// A plain loop: for a handful of short strings it beats the call into Array.prototype.includes.
function hasMethod(methods: readonly string[], method: string): boolean {
  for (let i = 0; i < methods.length; i++) if (methods[i] === method) return true;
  return false;
}

/**
 * Why the rule applies to a logged-in principal, or null when it does not: a public rule applies to
 * everyone, a rule naming no subjects to every principal, otherwise the principal's id must be
 * among the users or one of its groups among the groups. Allocates nothing.
 */
export function appliesTo(compiled: CompiledRule, principal: Principal): ApplyReason | null {
  if (compiled.effect === 'public') return 'public';
  if (!compiled.hasSubjects) return 'no-subjects';
  if (compiled.users !== null && compiled.users.has(principal.id)) return 'user';
  const { groups } = compiled;
  for (let i = 0; i < groups.length; i++) {
    if (principal.groups.has(groups[i])) return 'group';
  }
  return null;
}
