import type { AssertionIssuer } from '../assertion/assertion-issuer';
import type { SessionState } from './session-state';

/**
 * What verify runs once a minute: drops sessions and tombstones past their expiry, and forgets the
 * identities of sessions that hold no assertion `issuer` would still hand out (not used for at
 * least half an assertion's life; about 1.15 KB each, see `npm run bench:active-sessions`), so that
 * memory follows the sessions in use rather than every session used since it started.
 */
export function sweepSessions(sessions: SessionState, issuer: Pick<AssertionIssuer, 'holdsLive'>, nowMs: number): { expired: number; identities: number } {
  const nowSec = Math.floor(nowMs / 1000);
  return sessions.sweep(nowMs, (identity) => issuer.holdsLive(identity, nowSec));
}
