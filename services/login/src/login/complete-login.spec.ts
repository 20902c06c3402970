import { randomBytes } from 'node:crypto';
import { StartSessionRequest } from '@gate/events';
import { parseKeyring, verifySessionToken } from '@gate/session-token';
import { LoginState } from '../login-state/login-state.store';
import { Identity, OidcClient } from '../providers/oidc-client';
import { ProviderConfig } from '../providers/provider-config';
import { ProviderRegistry } from '../providers/provider-registry';
import { CompleteLogin } from './complete-login';
import { LoginError } from './login-errors';

const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
const provider: ProviderConfig = { id: 'idp', name: 'IdP', preset: 'oidc', issuer: 'https://idp.example', clientId: 'c', clientSecret: 's', scopes: ['openid'], groupsClaim: 'groups', allowUnverifiedEmail: false, logoutAtProvider: false };
const state: LoginState = { state: 'st', browserId: 'b', nonce: 'n', codeVerifier: 'v', provider: 'idp', returnUrl: 'https://app.example.org/x' };

/** Given a provider that answers `identity` (or throws), when the callback for `state` arrives. */
async function callback(identity: Identity | LoginError, opts: { allowUnverified?: boolean; sessionsDown?: boolean; databaseDown?: boolean; stored?: LoginState | null; remaining?: number } = {}) {
  const registry = new ProviderRegistry([{ ...provider, allowUnverifiedEmail: opts.allowUnverified ?? false }], async () => ({}) as OidcClient);
  const client = { completeLogin: async () => { if (identity instanceof LoginError) throw identity; return identity; } } as unknown as OidcClient;
  (registry as unknown as { clients: Map<string, OidcClient> }).clients.set('idp', client);
  const started: StartSessionRequest[] = [];
  const outcomes: string[] = [];
  const useCase = new CompleteLogin(
    registry,
    {
      take: async () => {
        if (opts.databaseDown) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return opts.stored === null ? null : { state: opts.stored ?? state, remaining: opts.remaining ?? 0 };
      },
    },
    { start: async (r) => { if (opts.sessionsDown) throw new Error('timeout'); started.push(r); } },
    { succeeded: async (p, u) => void outcomes.push(`ok ${p} ${u}`), failed: async (p, e) => void outcomes.push(`failed ${p} ${e.code}`) },
    { callbackUrl: 'https://auth.example.com/callback', cookieDomains: ['example.com', 'example.org'], keyring, sessionCookieName: 'gate_session', sessionLifetimeMs: 3_600_000 },
  );
  const run = useCase.run({ rawQuery: 'code=c&state=st', state: 'st', browserId: 'b', clientIp: '192.0.2.1', userAgent: 'UA' });
  return { run, started, outcomes };
}

const alice: Identity = { subject: 's1', email: 'Alice@Example.COM', emailVerified: true, name: null, groups: ['g'] };

describe('completing a login', () => {
  it('starts a session for the lower-cased verified e-mail and sets the cookie on the return URL\'s cookie domain', async () => {
    const { run, started, outcomes } = await callback(alice);
    const outcome = await run;
    expect(outcome.status).toBe(302);
    expect(outcome.headers?.location).toBe('https://app.example.org/x');
    const [cookie, clear] = outcome.headers?.['set-cookie'] as string[];
    expect(cookie).toMatch(/^gate_session=[^;]+; Domain=example\.org; Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax$/);
    expect(clear).toMatch(/^__Host-gate_login=; Path=\/; Max-Age=0/);
    expect(started).toEqual([{ sessionId: verifySessionToken(keyring, cookie.split(';')[0].split('=')[1]), userId: 'alice@example.com', email: 'alice@example.com', name: 'alice@example.com', groups: ['g'], provider: 'idp', clientIp: '192.0.2.1', userAgent: 'UA' }]);
    expect(outcomes).toEqual(['ok idp alice@example.com']);
  });

  it('keeps the login-state cookie while other tabs are still logging in', async () => {
    const { run } = await callback(alice, { remaining: 2 });
    expect((await run).headers?.['set-cookie']).toHaveLength(1);
  });

  it('refuses an unverified e-mail unless the provider is configured to allow it', async () => {
    const unverified = { ...alice, emailVerified: false };
    const refused = await callback(unverified);
    await expect(refused.run).rejects.toMatchObject({ code: 'LOGIN.EMAIL_UNVERIFIED', status: 400 });
    expect(refused.started).toEqual([]);
    expect(refused.outcomes).toEqual(['failed idp LOGIN.EMAIL_UNVERIFIED']);
    const allowed = await callback(unverified, { allowUnverified: true });
    expect((await allowed.run).status).toBe(302);
  });

  it('refuses a login without an e-mail address, or with a malformed one', async () => {
    await expect((await callback({ ...alice, email: null })).run).rejects.toMatchObject({ code: 'LOGIN.EMAIL_UNVERIFIED' });
    await expect((await callback({ ...alice, email: 'not an address' })).run).rejects.toMatchObject({ code: 'LOGIN.VALIDATION_FAILED' });
  });

  it('answers 503 and sets no cookie when sessions does not start the session', async () => {
    const { run, outcomes } = await callback(alice, { sessionsDown: true });
    await expect(run).rejects.toMatchObject({ code: 'LOGIN.SESSIONS_UNAVAILABLE', status: 503 });
    expect(outcomes).toEqual(['failed idp LOGIN.SESSIONS_UNAVAILABLE']);
  });

  it('lets "database unreachable" through to the edge (a 503 there), not as a failed sign-in', async () => {
    const { run, started, outcomes } = await callback(alice, { databaseDown: true });
    await expect(run).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(started).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  it('refuses an unknown or already used state before asking the provider', async () => {
    const { run, outcomes } = await callback(alice, { stored: null });
    await expect(run).rejects.toMatchObject({ code: 'LOGIN.INVALID_STATE', status: 400 });
    expect(outcomes).toEqual(['failed null LOGIN.INVALID_STATE']);
  });

  it('passes the provider\'s refusal through as a 400', async () => {
    const { run } = await callback(new LoginError('IDP_ERROR', 'no', 'idp'));
    await expect(run).rejects.toMatchObject({ code: 'LOGIN.IDP_ERROR', status: 400 });
  });

  it('records a provider that is down as such, and offers to start the same login again', async () => {
    const { run, started, outcomes } = await callback(new LoginError('PROVIDER_UNREACHABLE', 'down', 'idp'));
    const startAgainPath = '/login?provider=idp&rd=https%3A%2F%2Fapp.example.org%2Fx';
    await expect(run).rejects.toMatchObject({ code: 'LOGIN.PROVIDER_UNREACHABLE', status: 502, startAgainPath });
    expect(started).toEqual([]);
    expect(outcomes).toEqual(['failed idp LOGIN.PROVIDER_UNREACHABLE']);
    const unknown = await callback(alice, { stored: null });
    await expect(unknown.run).rejects.toMatchObject({ startAgainPath: '/login' });
  });
});
