import type { AccessRule } from './rule';

/** The request facts a decision needs, already normalised (`normalizeHost`, `normalizePath`). */
export interface AccessRequest {
  readonly host: string;
  readonly path: string;
  /** As forwarded: 1-20 upper-case letters (`GET`). */
  readonly method: string;
}

/** A logged-in visitor: a user, or a service account holding a bearer token. */
export interface Principal {
  /** The canonical id: the lower-cased e-mail, or the service account's (lower-case) id. */
  readonly id: string;
  /** The effective groups, compared exactly as written. */
  readonly groups: ReadonlySet<string>;
}

/**
 * What to do with a request.
 * - `allow`: let the principal in. `public`: let anyone in (identity headers when logged in).
 * - `deny`: the principal may not enter (403), including when no rule covers the request.
 * - `authenticate`: an anonymous visitor must log in first (302 or 401); whether they may enter is
 *   decided after login.
 * `rule` is the normalised rule that decided, or null with `reason: 'no-rule'`.
 */
export interface Decision {
  readonly outcome: 'allow' | 'deny' | 'public' | 'authenticate';
  readonly rule: AccessRule | null;
  readonly reason: 'rule' | 'no-rule';
}

/** A principal whom no rule covers is denied: default deny, also for a host no rule names. */
export const NO_RULE_DENY: Decision = Object.freeze({ outcome: 'deny', rule: null, reason: 'no-rule' });

/** An anonymous visitor whom no public rule lets in must log in first. */
export const NO_RULE_AUTHENTICATE: Decision = Object.freeze({
  outcome: 'authenticate',
  rule: null,
  reason: 'no-rule',
});

/** The frozen decision a rule gives when it applies to a principal: its effect. */
export function principalDecisionOf(rule: AccessRule): Decision {
  return Object.freeze({ outcome: rule.effect, rule, reason: 'rule' });
}

/** The frozen decision a rule gives an anonymous visitor: `public` lets them in, others ask for a login. */
export function anonymousDecisionOf(rule: AccessRule): Decision {
  const outcome = rule.effect === 'public' ? 'public' : 'authenticate';
  return Object.freeze({ outcome, rule, reason: 'rule' });
}
