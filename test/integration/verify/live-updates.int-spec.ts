import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { waitFor } from '../../support/wait-for';
import { BROWSER, forwarded, VerifyWorld } from './verify-harness';

// Changes reach verify as events, without a restart: revocations, disabled users, rule changes,
// in every replica; a session too fresh for the event is looked up once, never looped.
describe('verify follows the event streams', () => {
  let world: VerifyWorld;
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow' });
    [a, b] = await Promise.all([world.boot({ LOOKUP_TIMEOUT: '300ms' }), world.boot()]);
  });
  afterAll(() => world.destroy());

  it('refuses a revoked session on the next request after the event, in both verify instances', async () => {
    const s = await world.startSession('carol@example.com');
    await world.applied(a, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    await world.applied(b, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    for (const app of [a, b]) expect((await forwarded(app, { headers: { cookie: s.cookie } })).statusCode).toBe(200);

    const position = await world.revoke(s.sessionId, 'carol@example.com');
    await world.applied(a, 'sessions', position);
    await world.applied(b, 'sessions', position);
    for (const app of [a, b]) {
      expect((await forwarded(app, { headers: { cookie: s.cookie, ...BROWSER } })).statusCode).toBe(302);
      expect((await forwarded(app, { headers: { cookie: s.cookie } })).statusCode).toBe(401);
    }
    // a lookup reply that still says active (sessions lagging) does not resurrect the tombstone
    expect(world.lookupCalls).not.toContain(s.sessionId);
  });

  it('denies a disabled user at once and lets them back when enabled, without restart', async () => {
    const s = await world.startSession('dave@example.com');
    await world.applied(a, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    expect((await forwarded(a, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
    await world.applied(a, 'directory', await world.dir('user:dave', { type: 'UserDisabled', data: { userId: 'dave@example.com' } }));
    const denied = await forwarded(a, { headers: { cookie: s.cookie } });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'ACCOUNT_DISABLED']);
    await world.applied(a, 'directory', await world.dir('user:dave', { type: 'UserEnabled', data: { userId: 'dave@example.com' } }));
    expect((await forwarded(a, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  it('applies a rule change and a new membership without restart', async () => {
    const s = await world.startSession('erin@example.com');
    await world.applied(b, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    expect((await forwarded(b, { uri: '/finance', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    await world.applied(b, 'directory', await world.rule({ id: 'finance', host: 'app.example.com', paths: ['/finance'], effect: 'allow', priority: 10, subjects: { groups: ['finance'] } }));
    await world.applied(b, 'directory', await world.rule({ id: 'finance-deny', host: 'app.example.com', paths: ['/finance'], effect: 'deny', priority: 20 }));
    expect((await forwarded(b, { uri: '/finance', headers: { cookie: s.cookie } })).statusCode).toBe(403);
    await world.applied(b, 'directory', await world.dir('group:finance', { type: 'MemberAdded', data: { groupId: 'finance', member: 'erin@example.com' } }));
    const res = await forwarded(b, { uri: '/finance', headers: { cookie: s.cookie } });
    expect([res.statusCode, res.headers['x-forwarded-user-groups']]).toEqual([200, 'finance']);
    await world.applied(b, 'directory', await world.dir('rule:finance-deny', { type: 'RuleRemoved', data: { ruleId: 'finance-deny' } }));
    await world.applied(b, 'directory', await world.dir('group:finance', { type: 'MemberRemoved', data: { groupId: 'finance', member: 'erin@example.com' } }));
    expect((await forwarded(b, { uri: '/finance', headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  it('decides with every rule of a burst longer than one pull of the stream, from the request after its last event', async () => {
    const s = await world.startSession('frank@example.com');
    await world.applied(a, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    expect((await forwarded(a, { uri: '/burst', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    const others = Array.from({ length: 300 }, (_, i) => ({ id: `burst-${i}`, host: `burst-${i}.example.com`, effect: 'allow' as const, priority: 100 }));
    const deny = { id: 'burst-deny', host: 'app.example.com', paths: ['/burst'], effect: 'deny' as const, priority: 5 };
    const rules = [...others, deny].map((rule) => ({ type: 'RuleDefined' as const, data: { rule } }));
    await world.applied(a, 'directory', await world.dir('rule:burst', ...rules));
    expect((await forwarded(a, { uri: '/burst', headers: { cookie: s.cookie } })).statusCode).toBe(403);
  });

  it('allows a session started a moment ago whose event has not arrived: one lookup for concurrent requests, no loop', async () => {
    const s = await world.startSession('fay@example.com', { publish: false });
    world.lookupDelayMs = 50;
    const before = world.lookupCalls.length;
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => forwarded(a, { uri: `/page/${i}`, headers: { cookie: s.cookie, ...BROWSER } })));
    world.lookupDelayMs = 0;
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0].headers['x-forwarded-user']).toBe('fay@example.com');
    expect(world.lookupCalls.slice(before)).toEqual([s.sessionId]);
    expect((await forwarded(a, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
    expect(world.lookupCalls.slice(before)).toEqual([s.sessionId]);
  });

  it('sends a MAC-valid id that sessions does not know to log in once, caches that, and never looks up a forged id', async () => {
    const s = await world.startSession('gil@example.com', { publish: false });
    world.sessionsKnown.delete(s.sessionId);
    const before = world.lookupCalls.length;
    expect((await forwarded(a, { headers: { cookie: s.cookie, ...BROWSER } })).statusCode).toBe(302);
    expect((await forwarded(a, { headers: { cookie: s.cookie, ...BROWSER } })).statusCode).toBe(302);
    expect(world.lookupCalls.length - before).toBe(1);
    const forged = `${s.cookie.slice(0, -3)}AAA`;
    expect((await forwarded(a, { headers: { cookie: forged, ...BROWSER } })).statusCode).toBe(302);
    expect(world.lookupCalls.length - before).toBe(1);
  });

  it('answers 503 when sessions cannot be asked about a MAC-valid unknown id (cannot decide)', async () => {
    const s = await world.startSession('hal@example.com', { publish: false });
    world.lookupDelayMs = 1000;
    const res = await forwarded(a, { headers: { cookie: s.cookie, ...BROWSER } });
    world.lookupDelayMs = 0;
    expect([res.statusCode, res.headers['cache-control']]).toEqual([503, 'no-store']);
    expect(res.headers.location).toBeUndefined();
  });

  it('reports last-seen and token use in sampled batches, off the request path', async () => {
    const s = await world.startSession('ivy@example.com');
    await world.applied(a, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    for (let i = 0; i < 5; i++) expect((await forwarded(a, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
    await waitFor('a last-seen batch', () => world.seenBatches.flat().some((x) => x.sessionId === s.sessionId));
    expect(world.seenBatches.flat().filter((x) => x.sessionId === s.sessionId)).toHaveLength(1);
  });

  it('measures propagation delay of live events and reports no lag once applied', async () => {
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^verify_propagation_seconds_count\{[^}]*stream="AUTH_SESSIONS"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^verify_session_lookups_total\{result="found"[^}]*\} [1-9]/m);
  });
});
