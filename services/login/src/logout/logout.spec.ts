import { randomBytes } from 'node:crypto';
import { LookupSessionReply } from '@gate/events';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { OidcClient } from '../providers/oidc-client';
import { ProviderRegistry } from '../providers/provider-registry';
import { Logout } from './logout';

const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);

function logout(opts: { revokeFails?: boolean } = {}) {
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
    { authOrigin: 'https://auth.example.com', cookieDomains: ['example.com', 'example.org'], keyring, sessionCookieName: 'gate_session', logoutRedirectUrl: undefined },
  );
  return { useCase, revoked };
}

describe('logout', () => {
  it('shows a form on GET and changes nothing', () => {
    const { useCase, revoked } = logout();
    expect(useCase.confirm()).toMatchObject({ status: 200, html: expect.stringContaining('method="post"') });
    expect(revoked).toEqual([]);
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
      await expect(useCase.run({ sessionToken: token, ...input })).rejects.toMatchObject({ code: 'LOGOUT.CROSS_SITE', status: 403 });
    }
    expect(revoked).toEqual([]);
  });

  it('revokes the session of a genuine cookie and clears it on every domain; ignores a forged one', async () => {
    const { useCase, revoked } = logout();
    const { token, sessionId } = issueSessionToken(keyring);
    const outcome = await useCase.run({ sessionToken: token, origin: 'https://auth.example.com', secFetchSite: undefined });
    expect(outcome.status).toBe(200);
    expect(outcome.headers?.['set-cookie']).toEqual([
      'gate_session=; Domain=example.com; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'gate_session=; Domain=example.org; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(revoked).toEqual([sessionId]);
    await useCase.run({ sessionToken: 'k1.forged.value', origin: undefined, secFetchSite: 'same-origin' });
    expect(revoked).toEqual([sessionId]);
  });

  it('still clears the cookie but answers 503 when sessions cannot revoke', async () => {
    const { useCase } = logout({ revokeFails: true });
    const outcome = await useCase.run({ sessionToken: issueSessionToken(keyring).token, origin: 'https://auth.example.com', secFetchSite: undefined });
    expect(outcome.status).toBe(503);
    expect(outcome.headers?.['set-cookie']).toHaveLength(2);
    expect(outcome.html).toContain('LOGIN.SESSIONS_UNAVAILABLE');
  });
});
