import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@gate/config';
import { loginConfigSchema } from './config';

/** A NATS user nkey seed made for these tests (nothing accepts it). */
const NATS_NKEY_SEED = 'SUAOTMPWDBUPKHNY23SQQJBYIDMQ23HRFH3367OI75STLJ6U4FSIN7LX6M';

const KEY = `k1:${randomBytes(32).toString('base64')}`;
const PROVIDER = { id: 'forgejo', name: 'Forgejo', preset: 'oidc', issuer: 'https://git.example.com', clientId: 'gate', clientSecret: 's3cret' };
const ENV = {
  NATS_NKEY_SEED,
  DATABASE_URL: 'postgres://u@db/x',
  AUTH_URL: 'https://auth.example.com/',
  COOKIE_DOMAINS: 'example.com, Example.org',
  DEFAULT_REDIRECT_URL: 'https://home.example.com/',
  SESSION_KEYS: KEY,
  OIDC_PROVIDERS: JSON.stringify([PROVIDER]),
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(loginConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('login config', () => {
  it('reads a valid environment with defaults', () => {
    const c = loadConfig(loginConfigSchema, ENV);
    expect(c.AUTH_URL).toBe('https://auth.example.com');
    expect(c.COOKIE_DOMAINS).toEqual(['example.com', 'example.org']);
    expect(c.SESSION_COOKIE_NAME).toBe('gate_session');
    expect(c.SESSION_LIFETIME).toBe(86_400_000);
    expect(c.LOGIN_STATE_TTL).toBe(600_000);
    expect(c.RATE_LIMIT_LOGIN).toEqual({ count: 30, perMs: 60_000 });
    expect(c.OIDC_TIMEOUT).toBe(5_000);
    expect(c.OIDC_PROVIDERS[0]).toMatchObject({ id: 'forgejo', scopes: ['openid', 'email', 'profile'], allowUnverifiedEmail: false });
    expect(c.SESSION_KEYS.current.kid).toBe('k1');
  });

  it('applies presets: google has its issuer, github its OAuth scopes', () => {
    const c = loadConfig(loginConfigSchema, {
      ...ENV,
      OIDC_PROVIDERS: JSON.stringify([
        { id: 'google', name: 'Google', preset: 'google', clientId: 'g', clientSecret: 'x' },
        { id: 'github', name: 'GitHub', preset: 'github', clientId: 'h', clientSecret: 'y' },
      ]),
    });
    expect(c.OIDC_PROVIDERS.map((p) => [p.issuer, p.scopes])).toEqual([
      ['https://accounts.google.com', ['openid', 'email', 'profile']],
      ['https://github.com', ['read:user', 'user:email']],
    ]);
  });

  it('names the bad field of a bad provider', () => {
    expect(problems({ ...ENV, OIDC_PROVIDERS: JSON.stringify([PROVIDER, { ...PROVIDER, id: 'b', issuer: undefined }]) })).toMatch(/OIDC_PROVIDERS: \[1\]\.issuer: required for preset oidc/);
    expect(problems({ ...ENV, OIDC_PROVIDERS: JSON.stringify([{ ...PROVIDER, preset: 'saml' }]) })).toMatch(/OIDC_PROVIDERS: \[0\]\.preset/);
    expect(problems({ ...ENV, OIDC_PROVIDERS: JSON.stringify([PROVIDER, PROVIDER]) })).toMatch(/\[1\]\.id: duplicate/);
    expect(problems({ ...ENV, OIDC_PROVIDERS: '[' })).toMatch(/OIDC_PROVIDERS: expected a JSON array/);
    expect(problems({ ...ENV, OIDC_PROVIDERS: JSON.stringify([{ ...PROVIDER, clientSecret: undefined, clientSecretFile: '/nonexistent/secret' }]) })).toMatch(/\[0\]\.clientSecretFile: cannot read/);
  });

  it('refuses plain http outside loopback, redirect targets off the cookie domains and bad limits', () => {
    expect(problems({ ...ENV, AUTH_URL: 'http://auth.example.com' })).toMatch(/AUTH_URL: expected an https/);
    expect(loadConfig(loginConfigSchema, { ...ENV, AUTH_URL: 'http://127.0.0.1:4181' }).AUTH_URL).toBe('http://127.0.0.1:4181');
    expect(problems({ ...ENV, DEFAULT_REDIRECT_URL: 'https://elsewhere.net/' })).toMatch(/DEFAULT_REDIRECT_URL: expected a URL on one of COOKIE_DOMAINS/);
    expect(problems({ ...ENV, LOGOUT_REDIRECT_URL: 'https://elsewhere.net/' })).toMatch(/LOGOUT_REDIRECT_URL/);
    expect(problems({ ...ENV, RATE_LIMIT_LOGIN: 'lots' })).toMatch(/RATE_LIMIT_LOGIN: expected <count>\/<duration>/);
    expect(loadConfig(loginConfigSchema, { ...ENV, RATE_LIMIT_LOGIN: '5/10s' }).RATE_LIMIT_LOGIN).toEqual({ count: 5, perMs: 10_000 });
    expect(problems({ ...ENV, SESSION_KEYS: 'k1:short' })).toMatch(/SESSION_KEYS: session key k1: at least 32 bytes/);
    expect(problems({ ...ENV, COOKIE_DOMAINS: 'exa mple.com' })).toMatch(/COOKIE_DOMAINS/);
  });

  it('bounds the provider timeout well under the proxy\'s 30 s', () => {
    expect(loadConfig(loginConfigSchema, { ...ENV, OIDC_TIMEOUT: '2500ms' }).OIDC_TIMEOUT).toBe(2_500);
    expect(problems({ ...ENV, OIDC_TIMEOUT: '30s' })).toMatch(/OIDC_TIMEOUT: expected at most 15s/);
    expect(problems({ ...ENV, OIDC_TIMEOUT: '10ms' })).toMatch(/OIDC_TIMEOUT: expected at least 1s/);
    expect(problems({ ...ENV, OIDC_TIMEOUT: 'soon' })).toMatch(/OIDC_TIMEOUT: expected a duration/);
  });
});
