import { Browser, chromium } from 'playwright-core';
import { parseKeyring, verifySessionToken } from '@gate/session-token';
import { requireChromium } from '../../support/browser';
import { LoginStack, SESSION_KEYS, startLoginStack } from './login-stack';

const keyring = parseKeyring(SESSION_KEYS);

// A real browser through the whole login: the __Host- login cookie on the auth host, the OP's own
// cookies and redirects, the callback, and the final redirect to the app.
describe('login in a real browser (Chromium)', () => {
  let stack: LoginStack;
  let browser: Browser;

  beforeAll(async () => {
    // The browser first: without Chromium the suite fails at once, before anything is started.
    browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: ['--no-sandbox'] });
    stack = await startLoginStack();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('logs in and is sent to the return URL with a session cookie for the app domain', async () => {
    stack.ops[0].nextUser = { sub: 'u-dana', email: 'dana@example.test', email_verified: true, name: 'Dana', groups: [] };
    const context = await browser.newContext();
    const page = await context.newPage();
    if (process.env.LOGIN_TEST_LOG) page.on('request', (r) => process.stderr.write(`${r.method()} ${r.url()}\n`));
    if (process.env.LOGIN_TEST_LOG) page.on('requestfailed', (r) => process.stderr.write(`FAILED ${r.url()} ${r.failure()?.errorText}\n`));
    const callback = page.waitForResponse((r) => r.url().startsWith(`${stack.authUrl}/callback?`));
    // The app's host does not resolve here (and Playwright does not route redirected requests):
    // that the browser asks for it is the proof that login sent it there.
    const landed = page.waitForRequest('https://app.example.test/welcome');
    await page.goto(`${stack.authUrl}/login?rd=${encodeURIComponent('https://app.example.test/welcome')}`).catch(() => undefined);
    await landed;

    const res = await callback;
    expect(res.status()).toBe(302);
    const setCookie = (await res.headerValue('set-cookie')) ?? '';
    const token = /gate_session=([^;]+); Domain=example\.test; Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax/.exec(setCookie)?.[1];
    const sessionId = verifySessionToken(keyring, token);
    expect(stack.sessions.sessions.get(sessionId!)).toMatchObject({ userId: 'dana@example.test', userAgent: expect.stringContaining('Chrome') });
    // The browser kept the __Host- cookie during the login and dropped it at the end.
    expect((await context.cookies(stack.authUrl)).map((c) => c.name)).not.toContain('__Host-gate_login');
    await context.close();
  });
});
