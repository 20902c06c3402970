import { environmentOf } from './host-services';

describe("what one service of a shared process sees of the environment", () => {
  it('takes its own <SERVICE>_NAME variables as NAME, over the shared ones, and no other service\'s', () => {
    const env = { NATS_URL: 'nats://nats:4222', LOG_LEVEL: 'info', HTTP_PORT: '9999', VERIFY_HTTP_PORT: '4180', LOGIN_HTTP_PORT: '4181', VERIFY_NATS_NKEY_SEED_FILE: '/run/gate/verify/nats.nk' };
    expect(environmentOf('verify', env)).toMatchObject({ NATS_URL: 'nats://nats:4222', HTTP_PORT: '4180', NATS_NKEY_SEED_FILE: '/run/gate/verify/nats.nk' });
    expect(environmentOf('login', env).HTTP_PORT).toBe('4181');
  });

  it('lets a service-specific NAME_FILE replace a shared NAME, and the other way round', () => {
    const env = { SESSION_KEYS: 'k1:shared', SESSIONS_SESSION_KEYS_FILE: '/own', DATABASE_URL_FILE: '/shared', LOGIN_DATABASE_URL: 'postgres://own' };
    expect(environmentOf('sessions', env)).toEqual({ SESSION_KEYS_FILE: '/own', DATABASE_URL_FILE: '/shared', LOGIN_DATABASE_URL: 'postgres://own' });
    expect(environmentOf('login', env)).toMatchObject({ DATABASE_URL: 'postgres://own', SESSION_KEYS: 'k1:shared' });
    expect(environmentOf('login', env).DATABASE_URL_FILE).toBeUndefined();
  });
});
