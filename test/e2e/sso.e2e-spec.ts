import { Browser } from 'playwright-core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { launchBrowser } from '../support/browser';
import { fetchVia } from './https-client';
import { type Layout, startSsoStack, SsoStack } from './sso-stack';

// The whole gate end to end: a real browser, a real forward-auth proxy (Caddy speaks Traefik's
// protocol), a real OpenID provider, the four services on PostgreSQL and JetStream; as four apps,
// and as the all-in-one process that small hosts run.

jest.setTimeout(120_000);

describe.each<Layout>(['split', 'all-in-one'])('single sign-on through a real proxy, provider and browser (%s)', (layout) => {
  let stack: SsoStack;
  let browser: Browser;
  let ciToken: string;

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetchVia(`${stack.url('auth')}/api/directory${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body || '{}');
  };

  /** Logs `who` in from a fresh browser (the OP remembers whoever logged in before in a context). */
  async function loginAs(who: { sub: string; email: string; name: string; groups: string[] }, target: string) {
    stack.op.nextUser = { ...who, email_verified: true };
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(target);
    return { context, page, response };
  }

  beforeAll(async () => {
    // The browser first, and the stack checks for Caddy before it starts anything: a missing tool
    // fails the suite at once and leaves nothing running.
    browser = await launchBrowser();
    stack = await startSsoStack(layout);
    await admin('POST', '/groups', { id: 'staff', name: 'Staff' });
    await admin('POST', '/groups/staff/members', { member: 'alice@example.test' });
    await admin('POST', '/service-accounts', { id: 'svc:ci', name: 'CI' });
    await admin('POST', '/groups/staff/members', { member: 'svc:ci' });
    await admin('POST', '/rules', { id: 'app-staff', priority: 10, host: 'app.example.test', effect: 'allow', subjects: { groups: ['staff'] } });
    await admin('POST', '/rules', { id: 'public-site', priority: 10, host: 'public.example.test', effect: 'public' });
    ciToken = (await admin('POST', '/tokens', { principal: 'svc:ci', name: 'ci' })).token;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('logs a person in once and hands the app their identity, with a verifiable assertion', async () => {
    const target = `${stack.url('app')}/hello?x=1`;
    const { context, page } = await loginAs({ sub: 'alice', email: 'Alice@Example.test', name: 'Alice', groups: ['idp-wiki'] }, target);
    await page.waitForURL(target);
    const seen = JSON.parse((await page.textContent('body')) ?? '');
    expect(seen.path).toBe('/hello?x=1');
    expect(seen.identity).toMatchObject({
      'X-Forwarded-User': 'alice@example.test',
      'X-Forwarded-User-Email': 'alice@example.test',
      'X-Forwarded-User-Name': 'Alice',
      'X-Forwarded-User-Groups': 'idp-wiki,staff',
    });
    const jwks = createLocalJWKSet(JSON.parse((await fetchVia(`${stack.url('auth')}/.well-known/jwks.json`)).body));
    const { payload } = await jwtVerify(seen.identity['X-Forwarded-User-Assertion'], jwks, { issuer: stack.url('auth'), audience: 'app.example.test' });
    expect(payload).toMatchObject({ sub: 'alice@example.test', groups: ['idp-wiki', 'staff'] });

    const [cookie] = (await context.cookies()).filter((c) => c.name === 'gate_session');
    expect(cookie).toMatchObject({ domain: '.example.test', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });

    // A client's own identity headers never reach the app as identity.
    const spoofed = await fetchVia(`${stack.url('app')}/x`, {
      headers: { cookie: `gate_session=${cookie.value}`, 'x-forwarded-user': 'mallory@example.test', 'x-forwarded-user-groups': 'admins' },
    });
    expect(spoofed.status).toBe(200);
    expect(JSON.parse(spoofed.body).identity).toMatchObject({ 'X-Forwarded-User': 'alice@example.test', 'X-Forwarded-User-Groups': 'idp-wiki,staff' });

    // Revoking every session from the session page ends access at once.
    await page.goto(`${stack.url('auth')}/sessions`);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${stack.url('auth')}/sessions`);
    const after = await fetchVia(`${stack.url('app')}/x`, { headers: { cookie: `gate_session=${cookie.value}`, accept: 'text/html' } });
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe(`${stack.url('auth')}/login?rd=${encodeURIComponent(`${stack.url('app')}/x`)}`);
    await context.close();
  });

  it('lets no one in with an ID token the provider signed with a key it never published', async () => {
    stack.op.forgeIdTokens = true;
    try {
      const target = `${stack.url('app')}/forged`;
      const { context, page, response } = await loginAs({ sub: 'alice', email: 'alice@example.test', name: 'Alice', groups: [] }, target);
      expect(response?.status()).toBe(400);
      expect(new URL(page.url()).pathname).toBe('/callback');
      expect(await page.textContent('body')).toContain('LOGIN.VALIDATION_FAILED');
      const cookies = await context.cookies(target);
      expect(cookies.map((c) => c.name)).not.toContain('gate_session');
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const verdict = await fetchVia(target, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
      expect(verdict.status).toBe(302);
      expect(verdict.headers.location).toBe(`${stack.url('auth')}/login?rd=${encodeURIComponent(target)}`);
      await context.close();
    } finally {
      stack.op.forgeIdTokens = false;
    }
  });

  it('refuses a logged-in person the rules do not allow with 403', async () => {
    const { context, response, page } = await loginAs({ sub: 'bob', email: 'bob@example.test', name: 'Bob', groups: [] }, `${stack.url('app')}/`);
    await page.waitForURL(`${stack.url('app')}/`);
    expect(response).not.toBeNull();
    const last = await page.reload();
    expect(last?.status()).toBe(403);
    await context.close();
  });

  it('sends a browser without a session to log in, and refuses an API client with 401', async () => {
    const browserNav = await fetchVia(`${stack.url('app')}/docs?a=1`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(browserNav.status).toBe(302);
    expect(browserNav.headers.location).toBe(`${stack.url('auth')}/login?rd=${encodeURIComponent(`${stack.url('app')}/docs?a=1`)}`);
    const api = await fetchVia(`${stack.url('app')}/api`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers['www-authenticate']).toBeDefined();
  });

  it('lets anyone into a public host, and a service account in with its API token', async () => {
    const open = await fetchVia(`${stack.url('public')}/`, { headers: { 'x-forwarded-user': 'mallory@example.test' } });
    expect(open.status).toBe(200);
    // No identity: the client's header is replaced by the proxy (Caddy 2.6 writes its unfilled
    // placeholder where verify sent no header; Traefik removes the header).
    expect(JSON.parse(open.body).identity['X-Forwarded-User']).not.toMatch(/@/);

    const machine = await fetchVia(`${stack.url('app')}/api/build`, { headers: { authorization: `Bearer ${ciToken}` } });
    expect(machine.status).toBe(200);
    expect(JSON.parse(machine.body).identity).toMatchObject({ 'X-Forwarded-User': 'svc:ci', 'X-Forwarded-User-Groups': 'staff' });
    const forged = await fetchVia(`${stack.url('app')}/api/build`, { headers: { authorization: `Bearer ${ciToken.slice(0, -2)}xx` } });
    expect(forged.status).toBe(401);
  });
});
