import { revoked, sesEvent, started } from './events.fixture';
import { identityOf } from './identity';
import { SessionState } from './session-state';

const view = (sessionId: string, position: number, status: 'active' | 'revoked' | 'expired' = 'active') => ({
  ...(started(sessionId, 'bob@example.com').data as object),
  lastSeenAt: null,
  status,
  position,
}) as never;

describe('sessions in memory', () => {
  it('given a started session, when it is revoked, then it is a tombstone that a duplicate or later start never resurrects', () => {
    const state = new SessionState();
    state.apply(sesEvent(1, started('s1', 'bob@example.com')));
    expect(state.sessions.get('s1')?.ended).toBe(false);
    state.apply(sesEvent(2, revoked('s1', 'bob@example.com')));
    expect(state.sessions.get('s1')?.ended).toBe(true);
    expect(state.apply(sesEvent(1, started('s1', 'bob@example.com')))).toBe(false);
    state.apply(sesEvent(3, started('s1', 'bob@example.com')));
    expect(state.sessions.get('s1')?.ended).toBe(true);
    state.applyLookup(view('s1', 99));
    expect(state.sessions.get('s1')?.ended).toBe(true);
    expect([state.activeCount, state.tombstoneCount]).toEqual([0, 1]);
  });

  it('skips events at or below the applied position (redelivery is harmless)', () => {
    const state = new SessionState();
    expect(state.apply(sesEvent(5, started('s1', 'a@example.com')))).toBe(true);
    expect(state.apply(sesEvent(5, started('s2', 'a@example.com')))).toBe(false);
    expect(state.apply(sesEvent(4, started('s3', 'a@example.com')))).toBe(false);
    expect([...state.sessions.keys()]).toEqual(['s1']);
    expect(state.appliedPosition).toBe(5);
  });

  it('keeps a tombstone for a revocation whose start it never saw', () => {
    const state = new SessionState();
    state.apply(sesEvent(1, revoked('s9', 'a@example.com')));
    state.applyLookup(view('s9', 0));
    expect(state.sessions.get('s9')?.ended).toBe(true);
  });

  it('applies a lookup reply only when newer than what it knows, and a revoked reply as a tombstone', () => {
    const state = new SessionState();
    state.applyLookup(view('s1', 7));
    expect(state.sessions.get('s1')).toMatchObject({ ended: false, position: 7 });
    state.apply(sesEvent(8, revoked('s1', 'bob@example.com')));
    expect(state.sessions.get('s1')?.ended).toBe(true);
    state.applyLookup(view('s2', 3, 'revoked'));
    expect(state.sessions.get('s2')?.ended).toBe(true);
  });

  it('sweeps sessions and tombstones past their expiry', () => {
    const state = new SessionState();
    const now = Date.now();
    state.apply(sesEvent(1, started('old', 'a@example.com', { expiresAtMs: now - 1 })));
    state.apply(sesEvent(2, started('new', 'a@example.com')));
    expect(state.sweep(now)).toEqual({ expired: 1, identities: 0 });
    expect([...state.sessions.keys()]).toEqual(['new']);
  });

  it('sweeps away the cached identities that it is told not to keep, and only those', () => {
    const state = new SessionState();
    state.apply(sesEvent(1, started('used', 'a@example.com')));
    state.apply(sesEvent(2, started('idle', 'b@example.com')));
    state.apply(sesEvent(3, started('never', 'c@example.com')));
    const used = identityOf('a@example.com', 'a@example.com', 'A', [], false);
    state.sessions.get('used')!.identity = used;
    state.sessions.get('idle')!.identity = identityOf('b@example.com', 'b@example.com', 'B', [], false);
    const asked: string[] = [];
    const swept = state.sweep(Date.now(), (identity) => (asked.push(identity.id), identity === used));
    expect([swept, asked.sort()]).toEqual([{ expired: 0, identities: 1 }, ['a@example.com', 'b@example.com']]);
    expect(['used', 'idle', 'never'].map((id) => state.sessions.get(id)!.identity)).toEqual([used, null, null]);
    expect(state.activeCount).toBe(3);
  });
});
