import { verifySessionToken, parseKeyring } from '@gate/session-token';
import { TestBrowser, setCookieOf } from './browser';
import { LoginStack, SESSION_KEYS, startLoginStack } from './login-stack';
import { sql } from '../../support/postgres';

const keyring = parseKeyring(SESSION_KEYS);

describe('login with a real OpenID provider', () => {
  let stack: LoginStack;
  const onLoopback = (u: URL) => u.hostname === '127.0.0.1';

  beforeAll(async () => {
    stack = await startLoginStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Starts a login and walks it to the point where the OP sends the browser to the callback. */
  async function toCallback(browser: TestBrowser, rd?: string): Promise<string> {
    const start = `${stack.authUrl}/login${rd ? `?rd=${encodeURIComponent(rd)}` : ''}`;
    const { res, url } = await browser.follow(start, (next) => onLoopback(next) && next.pathname !== '/callback');
    expect(res.status).toBeGreaterThanOrEqual(300);
    const callback = new URL(res.headers.get('location')!, url);
    expect(callback.href.startsWith(`${stack.authUrl}/callback?`)).toBe(true);
    return callback.href;
  }

  it('logs in: sessions starts a session under the cookie id, the cookie has every flag, the browser goes back', async () => {
    stack.ops[0].nextUser = { sub: 'u-alice', email: 'Alice@Example.TEST', email_verified: true, name: 'Alice', groups: ['staff', 'admins'] };
    const browser = new TestBrowser();
    const callback = await toCallback(browser, 'https://app.example.org/inbox?x=1');
    const res = await browser.request(callback);

    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.org/inbox?x=1');
    const cookie = setCookieOf(res, 'gate_session')!;
    expect(cookie.attrs).toEqual({ domain: 'example.org', path: '/', 'max-age': '86400', httponly: true, secure: true, samesite: 'Lax' });
    const sessionId = verifySessionToken(keyring, cookie.value);
    expect(sessionId).not.toBeNull();
    expect(stack.sessions.sessions.get(sessionId!)).toMatchObject({ userId: 'alice@example.test', email: 'alice@example.test', name: 'Alice', groups: ['staff', 'admins'], provider: 'test', clientIp: '127.0.0.1' });
    expect(setCookieOf(res, '__Host-gate_login')?.attrs['max-age']).toBe('0');

    const events = await sql(`select type, data from "${stack.schema}".event where type = 'LoginSucceeded'`);
    expect(events).toContainEqual({ type: 'LoginSucceeded', data: { provider: 'test', userId: 'alice@example.test', sessionId, clientIp: '127.0.0.1' } });
    const metrics = await stack.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/logins_total\{provider="test",outcome="success",service="login"\} [1-9]/);
  });

  it('sets the login-state cookie as a __Host- cookie and sends the provider PKCE S256, state and nonce', async () => {
    const res = await new TestBrowser().request(`${stack.authUrl}/login`);
    expect(res.status).toBe(302);
    const auth = new URL(res.headers.get('location')!);
    expect(auth.origin).toBe(stack.ops[0].issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['code_challenge', 'state', 'nonce']) expect(auth.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(setCookieOf(res, '__Host-gate_login')?.attrs).toEqual({ path: '/', 'max-age': '600', httponly: true, secure: true, samesite: 'Lax' });
  });

  it('issues a new session id at every login and refuses to replay a callback', async () => {
    const browser = new TestBrowser();
    const first = await browser.request(await toCallback(browser));
    const callback = await toCallback(browser);
    const second = await browser.request(callback);
    expect(second.status).toBe(302);
    expect(second.headers.get('location')).toBe('https://home.example.test/');
    const ids = [first, second].map((r) => verifySessionToken(keyring, setCookieOf(r, 'gate_session')!.value));
    expect(ids[0]).not.toBe(ids[1]);

    const started = stack.sessions.sessions.size;
    const replay = await browser.request(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('LOGIN.INVALID_STATE');
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(stack.sessions.sessions.size).toBe(started);
  });

  it('refuses a wrong state, a missing login cookie and an IdP error, with no session and no cookie', async () => {
    const started = stack.sessions.sessions.size;

    const browser = new TestBrowser();
    const callback = new URL(await toCallback(browser));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'x'.repeat(43));
    const wrongState = await browser.request(forged.href);
    expect(wrongState.status).toBe(400);
    expect(wrongState.headers.getSetCookie()).toEqual([]);

    const otherBrowser = new TestBrowser();
    const noCookie = await otherBrowser.request(callback.href);
    expect(noCookie.status).toBe(400);
    expect(noCookie.headers.getSetCookie()).toEqual([]);

    // A new browser: one that is still logged in at the OP would not be asked again.
    stack.ops[0].denyNext = true;
    const deniedBrowser = new TestBrowser();
    const denied = await deniedBrowser.request(await toCallback(deniedBrowser));
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('LOGIN.IDP_ERROR');
    expect(denied.headers.getSetCookie()).toEqual([]);

    expect(stack.sessions.sessions.size).toBe(started);
    const failed = await sql(`select data->>'reason' as reason from "${stack.schema}".event where type = 'LoginFailed'`);
    expect(failed.map((r) => r.reason)).toEqual(expect.arrayContaining(['LOGIN.INVALID_STATE', 'LOGIN.IDP_ERROR']));
  });

  it('refuses a callback whose login state has expired, and sweeps expired states', async () => {
    const browser = new TestBrowser();
    const callback = new URL(await toCallback(browser));
    await sql(`update "${stack.schema}".login_state set expires_at = now() - interval '1 second' where state = $1`, [callback.searchParams.get('state')]);
    const res = await browser.request(callback.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('LOGIN.INVALID_STATE');
    await browser.request(`${stack.authUrl}/login`);
    expect(await sql(`select state from "${stack.schema}".login_state where expires_at <= now()`)).toEqual([]);
  });

  it('refuses a callback whose issuer is wrong, or whose code belongs to another login (PKCE, nonce)', async () => {
    const started = stack.sessions.sessions.size;
    const browser = new TestBrowser();
    const wrongIss = new URL(await toCallback(browser));
    wrongIss.searchParams.set('iss', 'http://127.0.0.1:1');
    const res = await browser.request(wrongIss.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('LOGIN.VALIDATION_FAILED');

    // Two logins in one browser; the code of the first presented with the state of the second.
    const a = new URL(await toCallback(browser));
    const b = new URL(await toCallback(browser));
    const swapped = new URL(b);
    swapped.searchParams.set('code', a.searchParams.get('code')!);
    const mixed = await browser.request(swapped.href);
    expect(mixed.status).toBe(400);
    expect(await mixed.text()).toContain('LOGIN.VALIDATION_FAILED');
    expect(mixed.headers.getSetCookie()).toEqual([]);
    expect(stack.sessions.sessions.size).toBe(started);
  });

  it('completes logins started in two tabs of one browser, in either order', async () => {
    const browser = new TestBrowser();
    const tab1 = await toCallback(browser, 'https://one.example.test/');
    const tab2 = await toCallback(browser, 'https://two.example.test/');
    const done2 = await browser.request(tab2);
    const done1 = await browser.request(tab1);
    expect([done1.status, done2.status]).toEqual([302, 302]);
    expect([done1.headers.get('location'), done2.headers.get('location')]).toEqual(['https://one.example.test/', 'https://two.example.test/']);
    expect(setCookieOf(done1, 'gate_session')!.value).not.toBe(setCookieOf(done2, 'gate_session')!.value);
    // The login cookie stays while another tab still needs it, and goes with the last one.
    expect(setCookieOf(done2, '__Host-gate_login')).toBeUndefined();
    expect(setCookieOf(done1, '__Host-gate_login')?.attrs['max-age']).toBe('0');
  });

  it('keeps at most 5 logins in progress per browser', async () => {
    const browser = new TestBrowser();
    for (let i = 0; i < 7; i++) expect((await browser.request(`${stack.authUrl}/login`)).status).toBe(302);
    const browserId = browser.cookies(stack.authUrl).get('__Host-gate_login');
    const [row] = await sql(`select count(*)::int as n from "${stack.schema}".login_state where browser_id = $1`, [browserId]);
    expect(row.n).toBe(5);
  });

  it('refuses an e-mail address the provider has not verified', async () => {
    const started = stack.sessions.sessions.size;
    stack.ops[0].nextUser = { sub: 'u-mallory', email: 'mallory@example.test', email_verified: false };
    const browser = new TestBrowser();
    const res = await browser.request(await toCallback(browser));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('LOGIN.EMAIL_UNVERIFIED');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(stack.sessions.sessions.size).toBe(started);
  });

  it('sends every line of the open-redirect corpus to the default URL', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const lines = readFileSync(resolve(__dirname, '../../fixtures/openredirects.txt'), 'utf8').replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(559);
    const states: string[] = [];
    for (let i = 0; i < lines.length; i += 8) {
      const batch = await Promise.all(lines.slice(i, i + 8).map((rd) => stack.app.inject({ method: 'GET', url: '/login', query: { rd } })));
      for (const res of batch) {
        expect(res.statusCode).toBe(302);
        states.push(new URL(res.headers.location as string).searchParams.get('state')!);
      }
    }
    const rows = await sql(`select return_url, count(*)::int as n from "${stack.schema}".login_state where state = any($1) group by return_url`, [states]);
    expect(rows).toEqual([{ return_url: 'https://home.example.test/', n: 559 }]);
  });

  it('answers 503 with no cookie when sessions does not answer', async () => {
    stack.sessions.silent = true;
    stack.ops[0].nextUser = { sub: 'u-bob', email: 'bob@example.test', email_verified: true };
    try {
      const browser = new TestBrowser();
      const res = await browser.request(await toCallback(browser));
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('LOGIN.SESSIONS_UNAVAILABLE');
      expect(setCookieOf(res, 'gate_session')).toBeUndefined();
    } finally {
      stack.sessions.silent = false;
    }
  });
});
