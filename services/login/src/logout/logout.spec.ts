import { randomBytes } from 'node:crypto';
import { LookupSessionReply } from '@gate/events';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { OidcClient } from '../providers/oidc-client';
import { ProviderRegistry } from '../providers/provider-registry';
import { Logout } from './logout';

const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);

function logout(opts: { revokeFails?: boolean; logoutRedirectUrl?: string } = {}) {
  const revoked: string[] = [];
  const registry = new ProviderRegistry([], async () => ({}) as OidcClient);
  const useCase = new Logout(
    registry,
    {
      lookup: async (): Promise<LookupSessionReply> => ({ found: false }),
      revoke: async (id) => {
        if (opts.revokeFails) throw new Error('timeout');
        revoked.push(id);
        return { revoked: true };
      },
    },
    { authOrigin: 'https://auth.example.com', cookieDomains: ['example.com', 'example.org'], keyring, sessionCookieName: 'gate_session', logoutRedirectUrl: opts.logoutRedirectUrl },
  );
  return { useCase, revoked };
}

describe('logout', () => {
  it('shows a form on GET and changes nothing', () => {
    const { useCase, revoked } = logout();
    expect(useCase.confirm(undefined)).toMatchObject({ status: 200, html: expect.stringContaining('<form method="post" action="/logout">') });
    expect(revoked).toEqual([]);
  });

  it('carries an allowed rd on to the form, and drops one that is not', () => {
    const { useCase } = logout();
    expect(useCase.confirm('https://app.example.org/bye?x=1').html).toContain('action="/logout?rd=https%3A%2F%2Fapp.example.org%2Fbye%3Fx%3D1"');
    expect(useCase.confirm('https://evil.example/').html).toContain('action="/logout"');
  });

  it('refuses a POST from another origin, or with neither Origin nor Sec-Fetch-Site same-origin', async () => {
    const { useCase, revoked } = logout();
    const { token } = issueSessionToken(keyring);
    for (const input of [
      { origin: 'https://evil.example', secFetchSite: 'same-origin' },
      { origin: 'null', secFetchSite: undefined },
      { origin: undefined, secFetchSite: 'same-site' },
      { origin: undefined, secFetchSite: undefined },
    ]) {
      await expect(useCase.run({ sessionTokens: [token], returnUrl: undefined, ...input })).rejects.toMatchObject({ code: 'LOGOUT.CROSS_SITE', status: 403 });
    }
    expect(revoked).toEqual([]);
  });

  it('revokes the session of a genuine cookie and clears it on every domain; ignores a forged one', async () => {
    const { useCase, revoked } = logout();
    const { token, sessionId } = issueSessionToken(keyring);
    const outcome = await useCase.run({ sessionTokens: [token], returnUrl: undefined, origin: 'https://auth.example.com', secFetchSite: undefined });
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.['set-cookie']).toEqual([
      'gate_session=; Domain=example.com; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'gate_session=; Domain=example.org; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(revoked).toEqual([sessionId]);
    await useCase.run({ sessionTokens: ['k1.forged.value'], returnUrl: undefined, origin: undefined, secFetchSite: 'same-origin' });
    expect(revoked).toEqual([sessionId]);
  });

  it('revokes every genuine session presented, each once, skipping forged ones', async () => {
    const { useCase, revoked } = logout();
    const stale = issueSessionToken(keyring);
    const live = issueSessionToken(keyring);
    const tokens = [stale.token, 'k1.forged.value', live.token, stale.token];
    const outcome = await useCase.run({ sessionTokens: tokens, returnUrl: undefined, origin: 'https://auth.example.com', secFetchSite: undefined });
    expect(outcome.status).toBe(200);
    expect(revoked).toEqual([stale.sessionId, live.sessionId]);
  });

  it('goes to an allowed rd, else to LOGOUT_REDIRECT_URL', async () => {
    const { useCase } = logout({ logoutRedirectUrl: 'https://example.com/bye' });
    const run = (returnUrl: string) => useCase.run({ sessionTokens: [], returnUrl, origin: 'https://auth.example.com', secFetchSite: undefined });
    expect((await run('https://app.example.org/signed-out')).headers).toMatchObject({ location: 'https://app.example.org/signed-out' });
    expect((await run('https://app.example.org.evil.net/')).headers).toMatchObject({ location: 'https://example.com/bye' });
    expect((await run('//evil.net')).headers).toMatchObject({ location: 'https://example.com/bye' });
  });

  it('still clears the cookie but answers 503 when sessions cannot revoke', async () => {
    const { useCase } = logout({ revokeFails: true });
    const input = { sessionTokens: [issueSessionToken(keyring).token], returnUrl: undefined, origin: 'https://auth.example.com', secFetchSite: undefined };
    const outcome = await useCase.run(input);
    expect(outcome.status).toBe(503);
    expect(outcome.headers?.['set-cookie']).toHaveLength(2);
    expect(outcome.html).toContain('LOGIN.SESSIONS_UNAVAILABLE');
  });
});
