import { SessionView } from '@gate/events';
import { AssertionSigner, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { createServer, Server } from 'node:http';
import { sql } from '../../support/postgres';
import { SessionsHarness, startSessions } from './sessions-app';

const HOST = 'auth.example.com';

describe('the sessions JSON API', () => {
  let h: SessionsHarness;
  let jwks: Server;
  const signer = new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('a1')])), 'https://auth.example.com');

  beforeAll(async () => {
    jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(signer.jwks())));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const port = (jwks.address() as { port: number }).port;
    h = await startSessions({ ASSERTION_ISSUER: 'https://auth.example.com', ASSERTION_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, ASSERTION_AUDIENCE: HOST });
  });
  afterAll(async () => {
    await h?.close();
    jwks?.close();
  });

  const get = (url: string, cookie?: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers: { host: HOST, ...(cookie ? { cookie } : {}), ...headers } });

  it('lists my active sessions with the current one marked, and never anyone else\'s', async () => {
    const phone = await h.login('ivy@example.com', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1');
    const laptop = await h.login('ivy@example.com');
    const other = await h.login('jack@example.com');
    const res = await get('/api/sessions', laptop.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { sessions } = res.json<{ sessions: (SessionView & { current: boolean })[] }>();
    expect(sessions.map((s) => [s.sessionId, s.current]).sort()).toEqual([[laptop.sessionId, true], [phone.sessionId, false]].sort());
    expect(JSON.stringify(sessions)).not.toContain(other.sessionId);

    const forbidden = await get('/api/sessions?all=true', laptop.cookie);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({ error: { code: 'SESSIONS.FORBIDDEN', message: expect.any(String) } });
    expect((await get('/api/sessions?user=jack@example.com', laptop.cookie)).statusCode).toBe(403);
  });

  it('lets me revoke my own session, refuses someone else\'s as not found, and the revoked cookie stops working', async () => {
    const mine = await h.login('kim@example.com');
    const second = await h.login('kim@example.com');
    const theirs = await h.login('lee@example.com');
    const refused = await h.app.inject({ method: 'DELETE', url: `/api/sessions/${theirs.sessionId}`, headers: { host: HOST, cookie: mine.cookie } });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('SESSIONS.NOT_FOUND');
    expect(await h.statusOf(theirs.sessionId)).toBe('active');

    const ok = await h.app.inject({ method: 'DELETE', url: `/api/sessions/${second.sessionId}`, headers: { host: HOST, cookie: mine.cookie, 'x-correlation-id': 'corr-revoke-1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ revoked: true });
    expect(await h.statusOf(second.sessionId)).toBe('revoked');
    const [event] = await sql(`select type, actor, correlation_id, data->>'reason' as reason from "${h.schema}".event where stream_id = $1 and stream_version = 2`, [`session:${second.sessionId}`]);
    expect(event).toEqual({ type: 'SessionRevoked', actor: 'kim@example.com', correlation_id: 'corr-revoke-1', reason: 'user' });
    expect((await get('/api/sessions', second.cookie)).statusCode).toBe(401);
    expect((await get('/api/sessions', mine.cookie)).statusCode).toBe(200);
  });

  it('revoke-all over the API: myself yes, someone else only as an admin (directory admins group)', async () => {
    const me = await h.login('mia@example.com');
    const victim = await h.login('ned@example.com');
    const post = (cookie: string, body: unknown) => h.app.inject({ method: 'POST', url: '/api/sessions/revoke-all', headers: { host: HOST, cookie, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

    expect((await post(me.cookie, { userId: 'ned@example.com' })).statusCode).toBe(403);
    expect(await h.statusOf(victim.sessionId)).toBe('active');
    expect((await post(me.cookie, { userId: 'Not An Id' })).statusCode).toBe(400);

    h.admins.add('mia@example.com');
    h.clock.advance(10_001); // past the 10 s cache of "mia is not an admin"
    try {
      const all = await get('/api/sessions?all=true', me.cookie);
      expect(all.statusCode).toBe(200);
      expect(all.json().sessions.map((s: SessionView) => s.userId)).toEqual(expect.arrayContaining(['mia@example.com', 'ned@example.com']));
      const ned = await get('/api/sessions?user=ned@example.com', me.cookie);
      expect(ned.json().sessions.map((s: SessionView) => s.sessionId)).toEqual([victim.sessionId]);
      const res = await post(me.cookie, { userId: 'ned@example.com' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ revoked: 1 });
      expect(await h.statusOf(victim.sessionId)).toBe('revoked');
      expect(await h.statusOf(me.sessionId)).toBe('active');
    } finally {
      h.admins.delete('mia@example.com');
    }
    const self = await post(me.cookie, { userId: 'mia@example.com' });
    expect(self.json()).toEqual({ revoked: 1 });
    expect((await get('/api/sessions', me.cookie)).statusCode).toBe(401);
  });

  it('an admin whose directory is unreachable is not an admin (fail closed)', async () => {
    const admin = await h.login('olga@example.com');
    h.admins.add('olga@example.com');
    h.directoryUp.value = false;
    try {
      expect((await get('/api/sessions?all=true', admin.cookie)).statusCode).toBe(403);
    } finally {
      h.directoryUp.value = true;
      h.admins.delete('olga@example.com');
    }
  }, 15_000);

  it('answers 401, never 5xx, for missing, malformed, forged and garbage cookies', async () => {
    const forged = h.newLogin('pam@example.com').token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const unstarted = h.newLogin('pam@example.com').token; // a valid MAC, but no session
    for (const cookie of [undefined, 'gate_session=', 'gate_session=garbage', `gate_session=${forged}`, `gate_session=${unstarted}`, `gate_session=${'x'.repeat(5000)}`, 'gate_session=%00%ff;;;==', 'gate_session="a.b.c"', `other=${unstarted}`]) {
      const api = await get('/api/sessions', cookie);
      expect([cookie, api.statusCode]).toEqual([cookie, 401]);
      expect(api.json().error.code).toBe('SESSIONS.UNAUTHENTICATED');
      const page = await get('/sessions', cookie);
      expect([cookie, page.statusCode]).toEqual([cookie, 401]);
      expect(page.body).toContain('Not logged in');
      expect(page.body).toContain('href="/login"');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    }
  });

  it('with several cookies of our name, uses the one that is a live session', async () => {
    const live = await h.login('quinn@example.com');
    const res = await get('/api/sessions', `gate_session=stale; ${live.cookie}; gate_session=other`);
    expect(res.statusCode).toBe(200);
    expect(res.json().sessions[0].sessionId).toBe(live.sessionId);
  });

  it('the JSON API refuses cross-site and non-JSON state changes', async () => {
    const me = await h.login('tom@example.com');
    const post = (headers: Record<string, string>, payload: string) => h.app.inject({ method: 'POST', url: '/api/sessions/revoke-all', headers: { host: HOST, cookie: me.cookie, ...headers }, payload });
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'userId=tom%40example.com')).statusCode).toBe(400);
    expect((await post({ 'content-type': 'application/json', origin: 'https://evil.example' }, '{"userId":"tom@example.com"}')).statusCode).toBe(403);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/sessions/${me.sessionId}`, headers: { host: HOST, cookie: me.cookie, 'sec-fetch-site': 'cross-site' } });
    expect(del.statusCode).toBe(403);
    expect(await h.statusOf(me.sessionId)).toBe('active');
  });

  it('accepts verify\'s signed identity assertion as a second way in, and no bare identity header', async () => {
    await h.login('wes@example.com');
    const assertion = signer.sign({ sub: 'wes@example.com', email: 'wes@example.com', name: 'Wes', groups: [] }, HOST);
    const res = await get('/api/sessions', undefined, { 'x-forwarded-user-assertion': assertion });
    expect(res.statusCode).toBe(200);
    expect(res.json().sessions).toHaveLength(1);
    expect(res.json().sessions[0].current).toBe(false);
    const otherAudience = signer.sign({ sub: 'wes@example.com', email: 'wes@example.com', name: 'Wes', groups: [] }, 'other.example.com');
    expect((await get('/api/sessions', undefined, { 'x-forwarded-user-assertion': otherAudience })).statusCode).toBe(401);
    expect((await get('/api/sessions', undefined, { 'x-forwarded-user': 'wes@example.com' })).statusCode).toBe(401);
  });
});
