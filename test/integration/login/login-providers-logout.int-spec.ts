import { parseKeyring, verifySessionToken } from '@gate/session-token';
import { waitFor } from '../../support/wait-for';
import { setCookieOf, TestBrowser } from './browser';
import { LoginStack, SESSION_KEYS, startLoginStack } from './login-stack';

const keyring = parseKeyring(SESSION_KEYS);
const SCOPES = ['openid', 'email', 'profile', 'groups'];

describe('several providers, a provider down at boot, logout, rate limit', () => {
  let stack: LoginStack;
  let ip = 0;
  const fromIp = () => ({ 'x-forwarded-for': `198.51.100.${++ip % 250}` });

  beforeAll(async () => {
    stack = await startLoginStack({
      providers: [
        { id: 'alpha', name: 'Alpha <OP>', scopes: SCOPES, logoutAtProvider: true },
        { id: 'beta', name: 'Beta', scopes: SCOPES },
      ],
      downAtBoot: [1],
      env: { LOGOUT_REDIRECT_URL: 'https://example.test/bye', TRUST_PROXY: 'true', RATE_LIMIT_LOGIN: '5/1m' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A full login at one provider in a new browser; returns the session cookie's value. */
  async function login(provider: string): Promise<string> {
    const browser = new TestBrowser();
    const headers = fromIp();
    let url = `${stack.authUrl}/login?provider=${provider}`;
    for (let hop = 0; hop < 10; hop++) {
      const res = await browser.request(url, { headers });
      const location = res.headers.get('location');
      if (!location) throw new Error(`login stopped at ${url} with ${res.status}`);
      const next = new URL(location, url);
      if (next.hostname !== '127.0.0.1') return setCookieOf(res, 'gate_session')!.value;
      url = next.href;
    }
    throw new Error('too many redirects');
  }

  it('shows a chooser page when several providers are configured, keeping the return URL', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/login?rd=https%3A%2F%2Fapp.example.test%2Fx', headers: fromIp() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Alpha &#60;OP&#62;');
    expect(res.body).toContain('href="/login?provider=alpha&#38;rd=https%3A%2F%2Fapp.example.test%2Fx"');
    expect(res.body).toContain('href="/login?provider=beta&#38;rd=https%3A%2F%2Fapp.example.test%2Fx"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 503 for a provider that was down at boot, stays ready, and recovers once it is up', async () => {
    const down = await stack.app.inject({ method: 'GET', url: '/login?provider=beta', headers: fromIp() });
    expect(down.statusCode).toBe(503);
    expect(down.body).toContain('LOGIN.PROVIDER_UNAVAILABLE');
    expect(down.body).toContain('Beta cannot be reached right now');
    expect(down.headers['retry-after']).toBe('30');
    expect((await stack.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await stack.app.inject({ method: 'GET', url: '/login?provider=alpha', headers: fromIp() })).statusCode).toBe(302);

    await stack.ops[1].listen();
    await waitFor('beta discovered', async () => (await stack.app.inject({ method: 'GET', url: '/login?provider=beta', headers: fromIp() })).statusCode === 302, 20_000);
    const token = await login('beta');
    expect(stack.sessions.sessions.get(verifySessionToken(keyring, token)!)?.provider).toBe('beta');
  });

  it('never logs out on a GET, nor on a cross-site POST', async () => {
    const token = await login('alpha');
    const sessionId = verifySessionToken(keyring, token)!;
    const cookie = `gate_session=${token}`;

    const confirm = await stack.app.inject({ method: 'GET', url: '/logout', headers: { cookie } });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<form method="post" action="/logout">');
    expect(confirm.headers['set-cookie']).toBeUndefined();

    for (const headers of [{ cookie, origin: 'https://evil.example' }, { cookie, 'sec-fetch-site': 'cross-site' }, { cookie }]) {
      const res = await stack.app.inject({ method: 'POST', url: '/logout', headers });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('LOGOUT.CROSS_SITE');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(stack.sessions.revoked).toEqual([]);
    expect(stack.sessions.sessions.get(sessionId)?.status).toBe('active');
  });

  it('logs out: revokes the session, clears the cookie on every cookie domain, ends the session at the provider', async () => {
    const token = await login('alpha');
    const sessionId = verifySessionToken(keyring, token)!;
    const res = await fetch(`${stack.authUrl}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `gate_session=${token}`, origin: stack.authUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(res.status).toBe(303);
    const end = new URL(res.headers.get('location')!);
    expect(`${end.origin}${end.pathname}`).toBe(`${stack.ops[0].issuer}/session/end`);
    expect(end.searchParams.get('client_id')).toBe(stack.ops[0].clientId);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe('https://example.test/bye');
    expect(res.headers.getSetCookie().sort()).toEqual([
      'gate_session=; Domain=example.org; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'gate_session=; Domain=example.test; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(stack.sessions.revoked).toContainEqual({ sessionId, revokedBy: 'alice@example.test', reason: 'logout' });
    expect(stack.sessions.sessions.get(sessionId)?.status).toBe('revoked');
    // The OP accepts the end-session request it was sent to.
    expect((await fetch(end, { redirect: 'manual' })).status).toBe(200);
  });

  it('after logout at a provider without RP-initiated logout, or without a session, goes to LOGOUT_REDIRECT_URL', async () => {
    const token = await login('beta');
    const withSession = await stack.app.inject({ method: 'POST', url: '/logout', headers: { cookie: `gate_session=${token}`, 'sec-fetch-site': 'same-origin' } });
    expect(withSession.statusCode).toBe(303);
    expect(withSession.headers.location).toBe('https://example.test/bye');
    expect(stack.sessions.revoked.map((r) => r.sessionId)).toContain(verifySessionToken(keyring, token));

    const revokedBefore = stack.sessions.revoked.length;
    const anonymous = await stack.app.inject({ method: 'POST', url: '/logout', headers: { cookie: 'gate_session=k1.forged.cookie', origin: stack.authUrl } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('https://example.test/bye');
    expect(stack.sessions.revoked).toHaveLength(revokedBefore);
  });

  it('limits /login and /callback per client IP with 429 and Retry-After', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await stack.app.inject({ method: 'GET', url: '/login?provider=alpha', headers })).statusCode);
    expect(statuses).toEqual([302, 302, 302, 302, 302]);
    const limited = await stack.app.inject({ method: 'GET', url: '/callback?state=x', headers });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toContain('LOGIN.RATE_LIMITED');
    expect((await stack.app.inject({ method: 'GET', url: '/login?provider=alpha', headers: { 'x-forwarded-for': '203.0.113.8' } })).statusCode).toBe(302);
  });

  it('reports logins by provider and outcome and the logins in progress', async () => {
    const metrics = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/logins_total\{provider="alpha",outcome="success",service="login"\} 2/);
    expect(metrics).toMatch(/logins_total\{provider="beta",outcome="success",service="login"\} 2/);
    expect(metrics).toMatch(/login_states_outstanding\{service="login"\} [1-9]\d*/);
  });
});
