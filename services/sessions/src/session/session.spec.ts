import { SessionsEvent } from '@gate/events';
import { decide, evolve, initialState, isDue, SessionCommand } from './session';
import { SessionsError } from './session-error';

const t0 = new Date('2026-11-23T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3_600_000;

const session = { sessionId: 's1', userId: 'alice@example.com', email: 'alice@example.com', name: 'Alice', groups: ['dev'], provider: 'forgejo', clientIp: '10.0.0.1', userAgent: 'Firefox' };
const started: SessionsEvent = { type: 'SessionStarted', data: { ...session, startedAt: t0.toISOString(), expiresAt: at(24 * HOUR).toISOString(), idleTimeoutMs: null } };
const startedIdle: SessionsEvent = { type: 'SessionStarted', data: { ...started.data, idleTimeoutMs: HOUR } } as SessionsEvent;
const revoked: SessionsEvent = { type: 'SessionRevoked', data: { sessionId: 's1', userId: 'alice@example.com', revokedBy: 'alice@example.com', reason: 'logout', revokedAt: at(1000).toISOString() } };
const expired: SessionsEvent = { type: 'SessionExpired', data: { sessionId: 's1', userId: 'alice@example.com', expiredAt: at(24 * HOUR).toISOString() } };

/** Given these events, when this command: the events it decides. */
function given(events: SessionsEvent[]) {
  return { when: (command: SessionCommand) => decide(command, events.reduce(evolve, initialState())) };
}

const revoke = (now = at(2000)): SessionCommand => ({ type: 'RevokeSession', revokedBy: 'admin@example.com', reason: 'admin', now });
const expire = (now: Date, lastSeenAt: Date | null = null): SessionCommand => ({ type: 'ExpireSession', now, lastSeenAt });

describe('session', () => {
  describe('start', () => {
    it('starts a new session that expires after the lifetime, carrying the idle timeout', () => {
      expect(given([]).when({ type: 'StartSession', session, now: t0, lifetimeMs: 24 * HOUR, idleTimeoutMs: 1800_000 })).toEqual([
        { type: 'SessionStarted', data: { ...session, startedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-24T10:00:00.000Z', idleTimeoutMs: 1800_000 } },
      ]);
    });

    it('refuses to start an id that exists, whatever its state', () => {
      for (const history of [[started], [started, revoked], [started, expired]]) {
        expect(() => given(history).when({ type: 'StartSession', session, now: t0, lifetimeMs: HOUR, idleTimeoutMs: null })).toThrow(
          expect.objectContaining({ code: 'SESSIONS.ALREADY_EXISTS' }),
        );
      }
    });
  });

  describe('revoke', () => {
    it('revokes an active session, recording who and why', () => {
      expect(given([started]).when(revoke())).toEqual([
        { type: 'SessionRevoked', data: { sessionId: 's1', userId: 'alice@example.com', revokedBy: 'admin@example.com', reason: 'admin', revokedAt: at(2000).toISOString() } },
      ]);
    });

    it('is a no-op on a session that is already revoked or expired', () => {
      expect(given([started, revoked]).when(revoke())).toEqual([]);
      expect(given([started, expired]).when(revoke())).toEqual([]);
    });

    it('refuses an unknown session with NOT_FOUND', () => {
      expect(() => given([]).when(revoke())).toThrow(SessionsError);
      expect(() => given([]).when(revoke())).toThrow(expect.objectContaining({ code: 'SESSIONS.NOT_FOUND' }));
    });
  });

  describe('expire', () => {
    it('expires a session at its absolute expiry, not a millisecond before', () => {
      expect(given([started]).when(expire(at(24 * HOUR - 1)))).toEqual([]);
      expect(given([started]).when(expire(at(24 * HOUR)))).toEqual([
        { type: 'SessionExpired', data: { sessionId: 's1', userId: 'alice@example.com', expiredAt: at(24 * HOUR).toISOString() } },
      ]);
    });

    it('without an idle timeout, never expires a quiet session early', () => {
      expect(given([started]).when(expire(at(23 * HOUR), null))).toEqual([]);
    });

    it('with an idle timeout, expires a session idle since its start or its last activity', () => {
      expect(given([startedIdle]).when(expire(at(HOUR - 1), null))).toEqual([]);
      expect(given([startedIdle]).when(expire(at(HOUR), null))).toHaveLength(1);
      expect(given([startedIdle]).when(expire(at(HOUR + 10), at(30 * 60_000)))).toEqual([]);
      expect(given([startedIdle]).when(expire(at(HOUR + 30 * 60_000), at(30 * 60_000)))).toEqual([
        { type: 'SessionExpired', data: { sessionId: 's1', userId: 'alice@example.com', expiredAt: at(HOUR + 30 * 60_000).toISOString() } },
      ]);
    });

    it('is a no-op on a session that ended or never started', () => {
      expect(given([started, revoked]).when(expire(at(25 * HOUR)))).toEqual([]);
      expect(given([started, expired]).when(expire(at(25 * HOUR)))).toEqual([]);
      expect(given([]).when(expire(at(25 * HOUR)))).toEqual([]);
    });
  });

  describe('evolve', () => {
    it('keeps the first ending: an expiry after a revocation does not turn it into expired', () => {
      expect([started, revoked, expired].reduce(evolve, initialState())).toMatchObject({ status: 'revoked' });
      expect([started, expired, revoked].reduce(evolve, initialState())).toMatchObject({ status: 'expired' });
    });
  });

  it('isDue ignores a last-seen time before the start', () => {
    expect(isDue(startedIdle.data as never, at(HOUR), at(-HOUR))).toBe(true);
    expect(isDue(startedIdle.data as never, at(HOUR - 1), at(-HOUR))).toBe(false);
  });
});
