import { streamIdOf, type SessionsEvent } from '@gate/events';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifyRuntime } from '../../../services/verify/src/verify-runtime';
import { waitFor } from '../../support/wait-for';
import { BROWSER, forwarded, meta, VerifyWorld } from './verify-harness';
import { jetstreamManager } from '@nats-io/jetstream';

// Verify decides only from state it can trust: not before it has caught up at start, and not
// (for sessions and tokens) once it has lost the event stream for longer than its bound.
describe('readiness and staleness', () => {
  let world: VerifyWorld;

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'public', host: 'app.example.com', paths: ['/public'], effect: 'public' });
    await world.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow' });
  });
  afterAll(() => world.destroy());

  it('is not ready (503 on /verify and /readyz) until it has replayed up to the stream heads seen at start', async () => {
    const s = await world.startSession('ann@example.com');
    // A backlog that takes verify a moment to replay.
    const backlog: SessionsEvent[] = Array.from({ length: 3000 }, (_, i) => ({ type: 'SessionExpired', data: { sessionId: `old${i}`, userId: 'old@example.com', expiredAt: new Date().toISOString() } }));
    const [last] = (await world.sessionsStore.append(streamIdOf('session', 'backlog'), 'any', backlog, meta())).slice(-1);
    const jsm = await jetstreamManager(world.nc);
    await waitFor('the backlog on JetStream', async () => (await jsm.streams.info('AUTH_SESSIONS')).state.last_seq >= last.position, 60_000);

    const app = await world.boot({}, { waitReady: false });
    // Before anything is replayed there are no rules to answer from, not even public ones.
    const early = await forwarded(app, { headers: { cookie: s.cookie } });
    const earlyPublic = await forwarded(app, { uri: '/public', headers: BROWSER });
    const readyz = await app.inject({ method: 'GET', url: '/readyz' });
    expect([early.statusCode, early.json().error.code, earlyPublic.statusCode, readyz.statusCode]).toEqual([503, 'UNAVAILABLE', 503, 503]);
    expect(early.headers['cache-control']).toBe('no-store');

    await waitFor('ready', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 30_000);
    expect(app.get(VerifyRuntime).verify.sessions.appliedPosition).toBeGreaterThanOrEqual(last.position);
    expect((await forwarded(app, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
    await world.close(app);
  });

  it('while not ready answers public paths from the rules it has, and 503 for everything else', async () => {
    // No sessions relay: AUTH_SESSIONS never appears, so verify replays the directory and waits.
    const half = await VerifyWorld.create({ relays: ['directory'] });
    try {
      await half.rule({ id: 'public', host: 'app.example.com', paths: ['/public'], effect: 'public' });
      await half.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow' });
      const app = await half.boot({}, { waitReady: false });
      await waitFor('the directory replayed', () => app.get(VerifyRuntime).verify.follower.rulesKnown);
      const pub = await forwarded(app, { uri: '/public/x', headers: BROWSER });
      expect([pub.statusCode, pub.headers['cache-control']]).toEqual([200, 'no-store']);
      const visitor = await forwarded(app, { uri: '/private', headers: BROWSER });
      expect([visitor.statusCode, visitor.json().error.message]).toEqual([503, 'verify cannot decide right now (not-ready)']);
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await half.destroy();
    }
  });

  it('is ready at once on empty streams', async () => {
    const empty = await VerifyWorld.create();
    try {
      const app = await empty.boot({}, { waitReady: false });
      // Ready once the (empty) streams are replayed and both relays have announced their heads.
      await waitFor('ready', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 5_000);
    } finally {
      await empty.destroy();
    }
  });

  it('after losing NATS past STREAM_STALE_AFTER answers 503 for sessions (public still 200), and recovers once caught up', async () => {
    const app = await world.boot({ STREAM_STALE_AFTER: '3s' });
    const s = await world.startSession('bob@example.com');
    await world.applied(app, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    const session = () => forwarded(app, { headers: { cookie: s.cookie } });
    expect((await session()).statusCode).toBe(200);

    await world.nats.pause();
    const pausedAt = Date.now();
    expect((await session()).statusCode).toBe(200); // within the bound
    await waitFor('stale', async () => (await session()).statusCode === 503, 10_000);
    // stale the bound after the last announcement it had applied, which came at most a second before the loss
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(3000 - 1100);
    const stale = await session();
    expect([stale.statusCode, stale.json().error.message]).toEqual([503, 'verify cannot decide right now (stale)']);
    expect((await forwarded(app, { uri: '/public/x', headers: BROWSER })).statusCode).toBe(200);
    // Without a credential too: a login now would only come back to a 503.
    const visitor = await forwarded(app, { uri: '/private', headers: BROWSER });
    expect([visitor.statusCode, visitor.headers.location]).toEqual([503, undefined]);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^verify_stale\{service="verify"\} 1$/m);

    // A revocation written while NATS is down reaches verify once it is back.
    const revokedAt = await world.revoke(s.sessionId, 'bob@example.com');
    await world.nats.resume();
    await world.applied(app, 'sessions', revokedAt);
    await waitFor('fresh again', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 20_000);
    expect((await session()).statusCode).toBe(401);
    const other = await world.startSession('cid@example.com');
    await world.applied(app, 'sessions', world.sessionsKnown.get(other.sessionId)!.position);
    expect((await forwarded(app, { headers: { cookie: other.cookie } })).statusCode).toBe(200);
  });
});
