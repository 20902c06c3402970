import { LookupSessionReply, SESSIONS_PATTERNS, sessionView, SessionView, streamIdOf } from '@gate/events';
import { request, streamNameOf } from '@gate/messaging';
import { runWithCorrelationId } from '@gate/observability';
import { MikroORM } from '@mikro-orm/postgresql';
import { SERVICE_CONFIG } from '@gate/config';
import { EVENT_STORE, rebuildProjection } from '@gate/eventstore';
import { SessionsProjection } from '../../../services/sessions/src/read-model/sessions.projection';
import { SessionReadModel } from '../../../services/sessions/src/read-model/session-read-model';
import { SessionSweeper } from '../../../services/sessions/src/sweeper/session-sweeper';
import { SessionCommands } from '../../../services/sessions/src/use-cases/session-commands';
import { sql } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';
import { SessionsHarness, startSessions } from './sessions-app';
import { jetstreamManager } from '@nats-io/jetstream';

const HOUR = 3_600_000;

describe('sessions over NATS request/reply', () => {
  let h: SessionsHarness;
  beforeAll(async () => {
    h = await startSessions({ SESSION_LIFETIME: '24h' });
  });
  afterAll(async () => h?.close());

  const start = (req: object) => request<SessionView>(h.client, SESSIONS_PATTERNS.start, req);
  const lookup = (sessionId: string) => request<LookupSessionReply>(h.client, SESSIONS_PATTERNS.lookup, { sessionId });
  const revoke = (sessionId: string, reason = 'logout') => request<{ revoked: boolean }>(h.client, SESSIONS_PATTERNS.revoke, { sessionId, revokedBy: 'login', reason });
  const eventsOf = (sessionId: string) => sql<{ type: string }>(`select type from "${h.schema}".event where stream_id = $1 order by stream_version`, [streamIdOf('session', sessionId)]);

  it('starts a session: the reply, a lookup and the AUTH_SESSIONS stream all show it', async () => {
    const { request: req } = h.newLogin('alice@example.com');
    const view = await runWithCorrelationId('corr-login-1', () => start(req));
    expect(view).toMatchObject({ sessionId: req.sessionId, userId: 'alice@example.com', status: 'active', startedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-24T10:00:00.000Z', idleTimeoutMs: null, lastSeenAt: null });
    expect(view.position).toBeGreaterThan(0);
    expect(sessionView.parse(view)).toEqual(view);

    expect(await lookup(req.sessionId)).toEqual({ found: true, session: view });
    expect(await sql(`select actor, correlation_id from "${h.schema}".event where stream_id = $1`, [streamIdOf('session', req.sessionId)])).toEqual([{ actor: 'alice@example.com', correlation_id: 'corr-login-1' }]);
    expect(await lookup('never-issued')).toEqual({ found: false });

    const jsm = await jetstreamManager(h.nc);
    await waitFor('the SessionStarted event on AUTH_SESSIONS', async () => {
      const msg = await jsm.streams.getMessage(streamNameOf('sessions'), { last_by_subj: `auth.sessions.session.${req.sessionId}` }).catch(() => null);
      return msg?.json<{ type: string }>().type === 'SessionStarted';
    });
  });

  it('refuses to start an id twice, and refuses invalid requests with SESSIONS.INVALID_REQUEST, changing nothing', async () => {
    const { request: req } = h.newLogin('bob@example.com');
    await start(req);
    await expect(start({ ...req, name: 'Mallory' })).rejects.toMatchObject({ code: 'SESSIONS.ALREADY_EXISTS' });
    await expect(start({ ...req, sessionId: 'x y', userId: 'NOT-AN-EMAIL' })).rejects.toMatchObject({ code: 'SESSIONS.INVALID_REQUEST' });
    await expect(lookup('../etc')).rejects.toMatchObject({ code: 'SESSIONS.INVALID_REQUEST' });
    await expect(request(h.client, SESSIONS_PATTERNS.revoke, { sessionId: req.sessionId, revokedBy: 'x', reason: 'because' })).rejects.toMatchObject({ code: 'SESSIONS.INVALID_REQUEST' });
    expect(await eventsOf(req.sessionId)).toEqual([{ type: 'SessionStarted' }]);
    expect(await lookup(req.sessionId)).toMatchObject({ session: { name: 'bob', status: 'active' } });
  });

  it('revokes a session; revoking it again is a no-op without a second event; an unknown id is NOT_FOUND', async () => {
    const { request: req } = h.newLogin('carol@example.com');
    const started = await start(req);
    expect(await revoke(req.sessionId)).toEqual({ revoked: true });
    const after = await lookup(req.sessionId);
    expect(after).toMatchObject({ found: true, session: { status: 'revoked' } });
    expect((after as { session: SessionView }).session.position).toBeGreaterThan(started.position);
    expect(await revoke(req.sessionId, 'user')).toEqual({ revoked: false });
    expect(await eventsOf(req.sessionId)).toEqual([{ type: 'SessionStarted' }, { type: 'SessionRevoked' }]);
    await expect(revoke('no-such-session')).rejects.toMatchObject({ code: 'SESSIONS.NOT_FOUND' });
  });

  it('revoke-all ends every session of the user and no one else\'s', async () => {
    const dave = [h.newLogin('dave@example.com'), h.newLogin('dave@example.com'), h.newLogin('dave@example.com')];
    const erin = h.newLogin('erin@example.com');
    for (const l of [...dave, erin]) await start(l.request);
    await revoke(dave[2].request.sessionId);

    expect(await request(h.client, SESSIONS_PATTERNS.revokeAll, { userId: 'dave@example.com', revokedBy: 'admin@example.com', reason: 'admin' })).toEqual({ revoked: 2 });
    for (const l of dave) expect(await lookup(l.request.sessionId)).toMatchObject({ session: { status: 'revoked' } });
    expect(await lookup(erin.request.sessionId)).toMatchObject({ session: { status: 'active' } });
    expect(await request(h.client, SESSIONS_PATTERNS.revokeAll, { userId: 'dave@example.com', revokedBy: 'admin@example.com', reason: 'admin' })).toEqual({ revoked: 0 });
  });

  it('records last-seen batches monotonically, only for active sessions, without events', async () => {
    const a = h.newLogin('frank@example.com').request;
    const b = h.newLogin('frank@example.com').request;
    await start(a);
    await start(b);
    await revoke(b.sessionId);
    const t = (ms: number) => new Date(h.clock.now().getTime() + ms).toISOString();
    h.client.emit(SESSIONS_PATTERNS.seen, { seen: [{ sessionId: a.sessionId, at: t(-5000) }, { sessionId: a.sessionId, at: t(-1000) }, { sessionId: b.sessionId, at: t(-1000) }, { sessionId: 'unknown', at: t(0) }] });
    await waitFor('last seen of a', async () => (await lookup(a.sessionId)) && ((await lookup(a.sessionId)) as { session: SessionView }).session.lastSeenAt === t(-1000));
    h.client.emit(SESSIONS_PATTERNS.seen, { seen: [{ sessionId: a.sessionId, at: t(-60_000) }] }); // older: ignored
    h.client.emit(SESSIONS_PATTERNS.seen, { seen: 'garbage' }); // invalid: dropped
    h.client.emit(SESSIONS_PATTERNS.seen, { seen: [{ sessionId: a.sessionId, at: t(HOUR) }] }); // future: capped at now
    await waitFor('the future report capped at now', async () => ((await lookup(a.sessionId)) as { session: SessionView }).session.lastSeenAt === t(0));
    expect(((await lookup(b.sessionId)) as { session: SessionView }).session.lastSeenAt).toBeNull();
    expect(await eventsOf(a.sessionId)).toEqual([{ type: 'SessionStarted' }]);
  });

  it('the sweeper expires sessions past their lifetime, and lookup reports them expired', async () => {
    const old = h.newLogin('gina@example.com').request;
    await start(old);
    h.clock.advance(12 * HOUR);
    const young = h.newLogin('gina@example.com').request;
    await start(young);
    const sweeper = h.app.get(SessionSweeper);

    h.clock.advance(12 * HOUR - 1);
    await sweeper.sweep();
    expect(await lookup(old.sessionId)).toMatchObject({ session: { status: 'active' } });

    h.clock.advance(1);
    expect(await lookup(old.sessionId)).toMatchObject({ session: { status: 'expired' } }); // due, even before the sweep
    expect(await sweeper.sweep()).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(old.sessionId)).toEqual([{ type: 'SessionStarted' }, { type: 'SessionExpired' }]);
    expect(await lookup(young.sessionId)).toMatchObject({ session: { status: 'active' } });
    expect(await sweeper.sweep()).toBe(0);
    expect(await revoke(old.sessionId)).toEqual({ revoked: false });

    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/sessions_expired_total\{service="sessions"\} [1-9]/);
    expect(metrics.body).toMatch(/sessions_revoked_total\{reason="admin",service="sessions"\} 2/);
    expect(metrics.body).toMatch(/sessions_started_total\{service="sessions"\} \d+/);
    const active = Number(/sessions_active\{service="sessions"\} (\d+)/.exec(metrics.body)?.[1]);
    const [{ n }] = await sql<{ n: number }>(`select count(*)::int as n from "${h.schema}".session where status = 'active' and expires_at > $1`, [h.clock.now()]);
    expect(active).toBe(n);
    expect(active).toBeGreaterThan(0);
  });

  it('two replicas sweeping at once expire each session exactly once', async () => {
    const due = Array.from({ length: 6 }, () => h.newLogin('hugo@example.com').request);
    for (const req of due) await start(req);
    h.clock.advance(24 * HOUR);
    const replica = new SessionSweeper(h.app.get(SessionReadModel), h.app.get(SessionCommands), h.clock, h.app.get(SERVICE_CONFIG));
    const [a, b] = await Promise.all([h.app.get(SessionSweeper).sweep(), replica.sweep()]);
    expect(a + b).toBeGreaterThanOrEqual(due.length);
    for (const req of due) expect(await eventsOf(req.sessionId)).toEqual([{ type: 'SessionStarted' }, { type: 'SessionExpired' }]);
  });

  it('the read model rebuilds from the log to the same sessions (last-seen times aside)', async () => {
    const snapshot = () => sql(`select session_id, user_id, status, ended_at, end_reason, position, expires_at from "${h.schema}".session order by session_id`);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(10);
    const applied = await rebuildProjection(h.app.get(MikroORM), h.app.get(EVENT_STORE), h.app.get(SessionsProjection));
    expect(applied).toBeGreaterThan(before.length);
    expect(await snapshot()).toEqual(before);
  });
});

describe('sessions with an idle timeout', () => {
  let h: SessionsHarness;
  beforeAll(async () => {
    h = await startSessions({ SESSION_IDLE_TIMEOUT: '30m' });
  });
  afterAll(async () => h?.close());

  it('expires a session idle past the timeout, and keeps one that was seen recently', async () => {
    const idle = h.newLogin('hank@example.com').request;
    const busy = h.newLogin('hank@example.com').request;
    expect(await request(h.client, SESSIONS_PATTERNS.start, idle)).toMatchObject({ idleTimeoutMs: 1_800_000 });
    await request(h.client, SESSIONS_PATTERNS.start, busy);
    h.clock.advance(20 * 60_000);
    h.client.emit(SESSIONS_PATTERNS.seen, { seen: [{ sessionId: busy.sessionId, at: h.clock.now().toISOString() }] });
    await waitFor('busy seen', async () => ((await request<LookupSessionReply>(h.client, SESSIONS_PATTERNS.lookup, { sessionId: busy.sessionId })) as { session: SessionView }).session.lastSeenAt !== null);
    h.clock.advance(10 * 60_000);

    expect(await h.app.get(SessionSweeper).sweep()).toBe(1);
    expect(await request(h.client, SESSIONS_PATTERNS.lookup, { sessionId: idle.sessionId })).toMatchObject({ session: { status: 'expired' } });
    expect(await request(h.client, SESSIONS_PATTERNS.lookup, { sessionId: busy.sessionId })).toMatchObject({ session: { status: 'active' } });
  });
});
