import { SessionsHarness, startSessions } from './sessions-app';

const HOST = 'auth.example.com';
const ORIGIN = `https://${HOST}`;

describe('the session page', () => {
  let h: SessionsHarness;
  beforeAll(async () => {
    h = await startSessions();
  });
  afterAll(async () => h?.close());

  const get = (url: string, cookie?: string) => h.app.inject({ method: 'GET', url, headers: { host: HOST, ...(cookie ? { cookie } : {}) } });
  const csrfFrom = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const form = (url: string, cookie: string, fields: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN, 'sec-fetch-site': 'same-origin' }) =>
    h.app.inject({ method: 'POST', url, headers: { host: HOST, cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() });

  it('renders the session page: escaped values, device, IP, this-device marker, CSRF-protected forms', async () => {
    const evil = '<script>alert(1)</script>';
    const me = await h.login('rita@example.com', `Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 ${evil}`);
    const page = await get('/sessions', me.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).not.toContain(evil);
    expect(page.body).toContain('&#60;script&#62;');
    expect(page.body).toContain('Chrome on Windows');
    expect(page.body).toContain('192.0.2.7');
    expect(page.body).toContain('this device');
    expect(page.body).toContain(`action="/sessions/${me.sessionId}/revoke"`);
    expect(csrfFrom(page.body)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a form post without, with a wrong, or with another session\'s CSRF token, or from a foreign origin, changes nothing', async () => {
    const me = await h.login('sam@example.com');
    const other = await h.login('sam@example.com');
    const token = csrfFrom((await get('/sessions', me.cookie)).body);
    const otherToken = csrfFrom((await get('/sessions', other.cookie)).body);
    const before = await h.eventCount();
    const url = `/sessions/${other.sessionId}/revoke`;
    expect((await form(url, me.cookie, {})).statusCode).toBe(403);
    expect((await form(url, me.cookie, { csrf: 'x'.repeat(43) })).statusCode).toBe(403);
    expect((await form(url, me.cookie, { csrf: otherToken })).statusCode).toBe(403);
    expect((await form(url, me.cookie, { csrf: token }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await form(url, me.cookie, { csrf: token }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await form(url, me.cookie, { csrf: token }, { 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await form('/sessions/revoke-all', me.cookie, { csrf: 'nope' })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url, headers: { host: HOST, cookie: me.cookie } })).statusCode).toBe(404);
    expect(await h.eventCount()).toBe(before);
    expect(await h.statusOf(other.sessionId)).toBe('active');

    const ok = await form(url, me.cookie, { csrf: token });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/sessions');
    expect(await h.statusOf(other.sessionId)).toBe('revoked');
    expect(await h.statusOf(me.sessionId)).toBe('active');

    const all = await form('/sessions/revoke-all', me.cookie, { csrf: token });
    expect(all.statusCode).toBe(303);
    expect(await h.statusOf(me.sessionId)).toBe('revoked');
    expect((await get('/sessions', me.cookie)).statusCode).toBe(401);
  });

  it('an admin sees everyone on the page and can end another user\'s sessions from it', async () => {
    const admin = await h.login('uma@example.com');
    const user = await h.login('vic@example.com');
    h.admins.add('uma@example.com');
    try {
      const page = await get('/sessions', admin.cookie);
      expect(page.body).toContain('All sessions');
      expect(page.body).toContain('vic@example.com');
      expect(page.body).toContain(`action="/sessions/${user.sessionId}/revoke"`);
      const res = await form('/sessions/revoke-all', admin.cookie, { csrf: csrfFrom(page.body), userId: 'vic@example.com' });
      expect(res.statusCode).toBe(303);
      expect(await h.statusOf(user.sessionId)).toBe('revoked');
      expect(await h.statusOf(admin.sessionId)).toBe('active');
    } finally {
      h.admins.delete('uma@example.com');
    }
  });
});
