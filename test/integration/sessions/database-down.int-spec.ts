import { SESSIONS_PATTERNS } from '@gate/events';
import { request } from '@gate/messaging';
import { proxiedDatabase } from '../../support/postgres';
import { TestTcpProxy } from '../../support/tcp-proxy';
import { SessionsHarness, startSessions } from './sessions-app';

const HOST = 'auth.example.com';

// The sessions service reaches PostgreSQL through a proxy the test stops.

describe('the sessions service with PostgreSQL down', () => {
  let proxy: TestTcpProxy;
  let h: SessionsHarness;

  beforeAll(async () => {
    const db = await proxiedDatabase();
    proxy = db.proxy;
    h = await startSessions({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await proxy?.up();
    await h?.close();
    await proxy?.close();
  });

  const call = (method: 'GET' | 'DELETE', url: string, cookie: string, accept: string) => h.app.inject({ method, url, headers: { host: HOST, cookie, accept } });

  it('answers the API with 503 JSON and the page with a 503 page, both with Retry-After, and revokes once it is back', async () => {
    const me = await h.login('ann@example.com');
    await proxy.down();

    const list = await call('GET', '/api/sessions', me.cookie, 'application/json');
    expect([list.statusCode, list.headers['retry-after']]).toEqual([503, '5']);
    expect(list.json()).toEqual({ error: { code: 'DATABASE.UNAVAILABLE', message: expect.any(String) } });
    const revoke = await call('DELETE', `/api/sessions/${me.sessionId}`, me.cookie, 'application/json');
    expect([revoke.statusCode, revoke.json().error.code]).toEqual([503, 'DATABASE.UNAVAILABLE']);

    const page = await call('GET', '/sessions', me.cookie, 'text/html');
    expect([page.statusCode, page.headers['retry-after']]).toEqual([503, '5']);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Temporarily unavailable');

    // Over NATS too, login gets a stable code rather than an internal error.
    await expect(request(h.client, SESSIONS_PATTERNS.start, h.newLogin('bob@example.com').request, 10_000)).rejects.toMatchObject({ code: 'DATABASE.UNAVAILABLE' });

    await proxy.up();
    expect(await h.statusOf(me.sessionId)).toBe('active');
    const events = await h.eventCount();
    const listed = await call('GET', '/api/sessions', me.cookie, 'application/json');
    expect(listed.json().sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([me.sessionId]);
    expect((await call('DELETE', `/api/sessions/${me.sessionId}`, me.cookie, 'application/json')).json()).toEqual({ revoked: true });
    expect(await h.eventCount()).toBe(events + 1);
  });
});
