import { sql } from '../../support/postgres';
import { setCookieOf, TestBrowser } from './browser';
import { LoginStack, startLoginStack } from './login-stack';

// What an audit against a hostile or failing OpenID provider found: no forged ID token, no
// provider that is down or slow, ever gets anyone a session; the user gets a clear page instead.

describe('a hostile or failing provider', () => {
  let stack: LoginStack;
  const onLoopback = (u: URL) => u.hostname === '127.0.0.1';

  beforeAll(async () => {
    stack = await startLoginStack({ env: { OIDC_TIMEOUT: '1s' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Walks a new login to the point where the OP sends the browser to the callback. */
  async function toCallback(browser: TestBrowser, rd = 'https://app.example.test/inbox'): Promise<string> {
    const { res, url } = await browser.follow(`${stack.authUrl}/login?rd=${encodeURIComponent(rd)}`, (next) => onLoopback(next) && next.pathname !== '/callback');
    const callback = new URL(res.headers.get('location')!, url);
    expect(callback.pathname).toBe('/callback');
    return callback.href;
  }

  const failures = async (reason: string) => {
    const [row] = await sql(`select count(*)::int as n from "${stack.schema}".event where type = 'LoginFailed' and data->>'reason' = $1`, [reason]);
    return row.n as number;
  };

  it('refuses an ID token signed with a key the provider never published, even under a published kid', async () => {
    const started = stack.sessions.sessions.size;
    stack.ops[0].forgeIdTokens = true;
    try {
      const browser = new TestBrowser();
      const res = await browser.request(await toCallback(browser));
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain('LOGIN.VALIDATION_FAILED');
      expect(page).toContain('JWT signature verification failed');
      expect(setCookieOf(res, 'gate_session')).toBeUndefined();
    } finally {
      stack.ops[0].forgeIdTokens = false;
    }
    expect(stack.sessions.sessions.size).toBe(started);
    // The same provider, signing with its own key again, logs people in.
    const browser = new TestBrowser();
    const ok = await browser.request(await toCallback(browser));
    expect(ok.status).toBe(302);
    expect(setCookieOf(ok, 'gate_session')).toBeDefined();
  });

  it('answers a provider that refuses the connection with a 502 page, counted apart, and lets the user start again', async () => {
    const browser = new TestBrowser();
    const callback = await toCallback(browser);
    await stack.ops[0].close();
    let res: Response;
    try {
      res = await browser.request(callback);
    } finally {
      await stack.ops[0].listen();
    }
    expect(res.status).toBe(502);
    const page = await res.text();
    expect(page).toContain('LOGIN.PROVIDER_UNREACHABLE');
    expect(page).toContain('Test OP cannot be reached right now');
    expect(setCookieOf(res, 'gate_session')).toBeUndefined();
    expect(await failures('LOGIN.PROVIDER_UNREACHABLE')).toBe(1);
    expect(await failures('LOGIN.VALIDATION_FAILED')).toBe(1);
    const metrics = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/logins_total\{provider="test",outcome="provider_unreachable",service="login"\} 1\n/);

    // "Start again" goes back to the same provider and return URL, and works in this browser.
    const again = /<a href="([^"]+)">Start again<\/a>/.exec(page)![1].replaceAll('&#38;', '&');
    expect(again).toBe(`/login?provider=test&rd=${encodeURIComponent('https://app.example.test/inbox')}`);
    const { res: retried, url } = await browser.follow(`${stack.authUrl}${again}`, (next) => onLoopback(next) && next.pathname !== '/callback');
    const done = await browser.request(new URL(retried.headers.get('location')!, url).href);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('https://app.example.test/inbox');
    expect(setCookieOf(done, 'gate_session')).toBeDefined();
  });

  it('answers a token endpoint that drops the connection with 502, as JSON to a client that asks for JSON', async () => {
    const browser = new TestBrowser();
    const callback = await toCallback(browser);
    stack.ops[0].tokenEndpointFault = { kind: 'reset' };
    try {
      const res = await browser.request(callback, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ error: 'LOGIN.PROVIDER_UNREACHABLE' });
      expect(setCookieOf(res, 'gate_session')).toBeUndefined();
    } finally {
      stack.ops[0].tokenEndpointFault = null;
    }
    expect(await failures('LOGIN.PROVIDER_UNREACHABLE')).toBe(2);
  });

  it('answers a token endpoint slower than OIDC_TIMEOUT with a 504 page at the timeout, counted apart', async () => {
    const started = stack.sessions.sessions.size;
    const browser = new TestBrowser();
    const callback = await toCallback(browser);
    stack.ops[0].tokenEndpointFault = { kind: 'slow', delayMs: 3_000 };
    try {
      const t0 = Date.now();
      const res = await browser.request(callback);
      expect(Date.now() - t0).toBeLessThan(2_500);
      expect(res.status).toBe(504);
      const page = await res.text();
      expect(page).toContain('LOGIN.PROVIDER_TIMEOUT');
      expect(page).toContain('Test OP did not answer in time');
      expect(page).toContain('href="/login?provider=test&#38;rd=');
      expect(setCookieOf(res, 'gate_session')).toBeUndefined();
    } finally {
      stack.ops[0].tokenEndpointFault = null;
    }
    expect(await failures('LOGIN.PROVIDER_TIMEOUT')).toBe(1);
    const metrics = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/logins_total\{provider="test",outcome="provider_timeout",service="login"\} 1\n/);
    // The late answer, when it comes, starts nothing either.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stack.sessions.sessions.size).toBe(started);
  });
});
