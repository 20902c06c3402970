import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@gate/config';
import { generateAssertionKey } from '@gate/identity-assertion';
import { verifyConfigSchema } from './config';

/** A NATS user nkey seed made for these tests (nothing accepts it). */
const NATS_NKEY_SEED = 'SUAOTMPWDBUPKHNY23SQQJBYIDMQ23HRFH3367OI75STLJ6U4FSIN7LX6M';

const env = {
  NATS_NKEY_SEED,
  SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  AUTH_URL: 'https://auth.example.com/',
  ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
};

describe('verify config', () => {
  it('needs the session keys, the auth URL and the assertion keys; listens on 4180 with 30 s staleness by default', () => {
    const config = loadConfig(verifyConfigSchema, env);
    expect([config.HTTP_PORT, config.STREAM_STALE_AFTER, config.SESSION_COOKIE_NAME, config.AUTH_URL, config.IDENTITY_HEADER_PREFIX]).toEqual([4180, 30_000, 'gate_session', 'https://auth.example.com', 'X-Forwarded-User']);
    expect(config.SESSION_KEYS.current.kid).toBe('k1');
    expect(config.ASSERTION_KEYS[0].kid).toBe('a1');
  });

  it('refuses to start with a message naming the variable, never echoing a secret', () => {
    const secret = 'not-base64-but-secret-material';
    expect(() => loadConfig(verifyConfigSchema, { ...env, SESSION_KEYS: `k1:${secret}` })).toThrow(ConfigError);
    try {
      loadConfig(verifyConfigSchema, { ...env, SESSION_KEYS: `k1:${secret}`, ASSERTION_KEYS: '{' });
    } catch (err) {
      expect((err as Error).message).toMatch(/SESSION_KEYS/);
      expect((err as Error).message).toMatch(/ASSERTION_KEYS/);
      expect((err as Error).message).not.toContain(secret);
    }
    expect(() => loadConfig(verifyConfigSchema, {})).toThrow(/AUTH_URL/);
  });
});
