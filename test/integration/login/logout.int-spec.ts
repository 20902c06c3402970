import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKeyring, verifySessionToken } from '@gate/session-token';
import { setCookieOf, TestBrowser } from './browser';
import { LoginStack, SESSION_KEYS, startLoginStack } from './login-stack';

const keyring = parseKeyring(SESSION_KEYS);
const BYE = 'https://example.test/bye';
const COOKIE_DOMAINS = ['example.test', 'example.org'];

describe('logout: every session presented, and a checked return target', () => {
  let stack: LoginStack;

  beforeAll(async () => {
    stack = await startLoginStack({ env: { LOGOUT_REDIRECT_URL: BYE } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A full login in a new browser; returns the session cookie's value. */
  async function login(): Promise<string> {
    const { res } = await new TestBrowser().follow(`${stack.authUrl}/login`, (next) => next.hostname === '127.0.0.1');
    return setCookieOf(res, 'gate_session')!.value;
  }

  const postLogout = (query: string, headers: Record<string, string>) =>
    stack.app.inject({ method: 'POST', url: `/logout${query}`, headers: { origin: stack.authUrl, ...headers } });

  it('revokes both sessions when a stale parent-domain copy is sent before the live cookie', async () => {
    const stale = await login();
    const live = await login();
    const ids = [stale, live].map((t) => verifySessionToken(keyring, t)!);
    const res = await postLogout('', { cookie: `gate_session=${stale}; other=1; gate_session=${live}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(BYE);
    expect(res.headers['set-cookie']).toHaveLength(2);
    for (const id of ids) expect(stack.sessions.sessions.get(id)?.status).toBe('revoked');
    expect(stack.sessions.revoked.map((r) => r.sessionId).sort()).toEqual([...ids].sort());
  });

  it('goes to an allowed rd, carried from the confirmation form, after revoking the session', async () => {
    const token = await login();
    const rd = 'https://wiki.example.org/signed-out?from=wiki';
    const form = await stack.app.inject({ method: 'GET', url: `/logout?rd=${encodeURIComponent(rd)}` });
    const action = /<form method="post" action="([^"]+)">/.exec(form.body)![1].replaceAll('&#38;', '&');
    expect(action).toBe(`/logout?rd=${encodeURIComponent(rd)}`);
    const res = await postLogout(action.slice('/logout'.length), { cookie: `gate_session=${token}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(rd);
    expect(stack.sessions.sessions.get(verifySessionToken(keyring, token)!)?.status).toBe('revoked');
  });

  it('stays impossible cross-site, rd or not', async () => {
    const token = await login();
    const rd = `?rd=${encodeURIComponent('https://app.example.test/')}`;
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }]) {
      const res = await stack.app.inject({ method: 'POST', url: `/logout${rd}`, headers: { cookie: `gate_session=${token}`, ...headers } });
      expect(res.statusCode).toBe(403);
      expect(res.headers.location).toBeUndefined();
    }
    const noOrigin = await stack.app.inject({ method: 'POST', url: `/logout${rd}`, headers: { cookie: `gate_session=${token}`, 'sec-fetch-site': 'cross-site' } });
    expect(noOrigin.statusCode).toBe(403);
    expect(stack.sessions.sessions.get(verifySessionToken(keyring, token)!)?.status).toBe('active');
  });

  it('never sends a line of the open-redirect corpus anywhere off the cookie domains', async () => {
    const lines = readFileSync(resolve(__dirname, '../../../../shared/testdata/openredirects.txt'), 'utf8').replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(559);
    const onCookieDomain = (location: string) => {
      const url = new URL(location);
      return url.protocol === 'https:' && url.username === '' && COOKIE_DOMAINS.some((d) => url.hostname === d || url.hostname.endsWith(`.${d}`));
    };
    const locations = new Set<string>();
    for (let i = 0; i < lines.length; i += 8) {
      const batch = lines.slice(i, i + 8);
      const answers = await Promise.all(batch.map((rd) => postLogout(`?${new URLSearchParams({ rd })}`, {})));
      const forms = await Promise.all(batch.map((rd) => stack.app.inject({ method: 'GET', url: `/logout?${new URLSearchParams({ rd })}` })));
      for (const res of answers) {
        expect(res.statusCode).toBe(303);
        expect(onCookieDomain(res.headers.location as string)).toBe(true);
        locations.add(res.headers.location as string);
      }
      for (const form of forms) expect(form.body).toContain('<form method="post" action="/logout">');
    }
    expect([...locations]).toEqual([BYE]);
  });
});
