import type { Identity } from '../state/identity';

/**
 * What verify answers one forwarded request, before it becomes HTTP (see `reply-to-traefik.ts`).
 * - `allow`: 200, with identity headers when `identity` is set (a public rule lets anyone in bare).
 * - `login`: 302 to the login page (browser navigation without a valid session).
 * - `unauthenticated`: 401 (anything else without a valid credential).
 * - `forbidden`: 403 (a logged-in principal the rules keep out, or a disabled account).
 * - `malformed`: 400. `unavailable`: 503, verify cannot decide.
 * - `lookup`: not an answer yet: ask sessions about these well-formed unknown ids, then decide again.
 */
export type Verdict =
  | { readonly kind: 'allow'; readonly identity: Identity | null; readonly via: 'session' | 'token' | 'public'; readonly credential: string | null }
  | { readonly kind: 'login' }
  | { readonly kind: 'unauthenticated'; readonly reason: 'no-credential' | 'invalid-token' }
  | { readonly kind: 'forbidden'; readonly reason: 'rule' | 'disabled'; readonly identity: Identity }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly reason: 'not-ready' | 'stale' | 'rules-invalid' | 'lookup-failed' }
  | { readonly kind: 'lookup'; readonly sessionIds: readonly string[] };

/** The outcome label of a verdict, for `verify_decisions_total{outcome}`. */
export function outcomeOf(verdict: Verdict): string {
  return verdict.kind === 'allow' && verdict.via === 'public' ? 'public' : verdict.kind;
}
