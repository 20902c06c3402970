import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@gate/config';
import { sessionsConfigSchema } from './config';

/** A NATS user nkey seed made for these tests (nothing accepts it). */
const NATS_NKEY_SEED = 'SUAOTMPWDBUPKHNY23SQQJBYIDMQ23HRFH3367OI75STLJ6U4FSIN7LX6M';

const key = randomBytes(32).toString('base64');
const base = { DATABASE_URL: 'postgres://db/x', SESSION_KEYS: `k1:${key}`, NATS_NKEY_SEED };

describe('sessions config', () => {
  it('defaults to a 24 h lifetime, no idle timeout, a 1 min sweep and the gate_session cookie', () => {
    const config = loadConfig(sessionsConfigSchema, base);
    expect(config).toMatchObject({ SESSION_LIFETIME: 86_400_000, SESSION_SWEEP_INTERVAL: 60_000, SESSION_COOKIE_NAME: 'gate_session', HTTP_PORT: 4183 });
    expect(config.SESSION_IDLE_TIMEOUT).toBeUndefined();
    expect(config.SESSION_KEYS.current.kid).toBe('k1');
    expect(loadConfig(sessionsConfigSchema, { ...base, SESSION_LIFETIME: '8h', SESSION_IDLE_TIMEOUT: '30m' })).toMatchObject({ SESSION_LIFETIME: 28_800_000, SESSION_IDLE_TIMEOUT: 1_800_000 });
  });

  it('refuses to start without session keys, or with weak ones, never echoing key material', () => {
    expect(() => loadConfig(sessionsConfigSchema, { DATABASE_URL: 'postgres://db/x' })).toThrow(/SESSION_KEYS: required/);
    const weak = randomBytes(8).toString('base64');
    let message = '';
    try {
      loadConfig(sessionsConfigSchema, { ...base, SESSION_KEYS: `k1:${weak}` });
    } catch (err) {
      message = (err as ConfigError).message;
    }
    expect(message).toMatch(/SESSION_KEYS/);
    expect(message).not.toContain(weak.slice(0, 6));
  });

  it('takes the assertion settings all together or not at all', () => {
    const assertion = { ASSERTION_ISSUER: 'https://auth.example.com', ASSERTION_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json', ASSERTION_AUDIENCE: 'auth.example.com' };
    expect(loadConfig(sessionsConfigSchema, { ...base, ...assertion }).ASSERTION_AUDIENCE).toEqual(['auth.example.com']);
    expect(() => loadConfig(sessionsConfigSchema, { ...base, ASSERTION_ISSUER: assertion.ASSERTION_ISSUER })).toThrow(/together/);
  });
});
