import { proxiedDatabase } from '../../support/postgres';
import { TestTcpProxy } from '../../support/tcp-proxy';
import { setCookieOf, TestBrowser } from './browser';
import { LoginStack, startLoginStack } from './login-stack';

// Login keeps its login states in PostgreSQL, reached here through a proxy the test stops.

describe('login with PostgreSQL down', () => {
  let proxy: TestTcpProxy;
  let stack: LoginStack;
  const onLoopback = (u: URL) => u.hostname === '127.0.0.1';

  beforeAll(async () => {
    const db = await proxiedDatabase();
    proxy = db.proxy;
    stack = await startLoginStack({ env: { DATABASE_URL: db.url } });
  });
  afterAll(async () => {
    await proxy?.up();
    await stack?.close();
    await proxy?.close();
  });

  /** A 503 page a browser can read, with Retry-After and the stable code, and no cookie. */
  async function expectUnavailablePage(res: Response) {
    expect([res.status, res.headers.get('retry-after')]).toEqual([503, '5']);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain('Temporarily unavailable');
    expect(html).toContain('DATABASE.UNAVAILABLE');
  }

  it('answers starting a login and the callback with a 503 page; the same callback succeeds once it is back', async () => {
    stack.ops[0].nextUser = { sub: 'u-cat', email: 'cat@example.test', email_verified: true, name: 'Cat', groups: [] };
    const browser = new TestBrowser();
    const { res, url } = await browser.follow(`${stack.authUrl}/login`, (next) => onLoopback(next) && next.pathname !== '/callback');
    const callback = new URL(res.headers.get('location')!, url).href;
    expect(callback.startsWith(`${stack.authUrl}/callback?`)).toBe(true);

    await proxy.down();
    await expectUnavailablePage(await new TestBrowser().request(`${stack.authUrl}/login`, { headers: { accept: 'text/html' } }));
    await expectUnavailablePage(await browser.request(callback, { headers: { accept: 'text/html' } }));
    expect(stack.sessions.sessions.size).toBe(0);

    await proxy.up();
    const done = await browser.request(callback);
    expect([done.status, done.headers.get('location')]).toEqual([302, 'https://home.example.test/']);
    expect(setCookieOf(done, 'gate_session')).toBeDefined();
    expect(stack.sessions.sessions.size).toBe(1);
  });
});
