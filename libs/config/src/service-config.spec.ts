import { ConfigError } from './config-error';
import { postgresUrlField } from './env-fields';
import { loadConfig } from './load-config';
import { serviceConfigSchema } from './service-config';

/** A NATS user nkey seed made for these tests (nothing accepts it). */
const NATS_NKEY_SEED = 'SUAOTMPWDBUPKHNY23SQQJBYIDMQ23HRFH3367OI75STLJ6U4FSIN7LX6M';

describe('serviceConfigSchema', () => {
  it('defaults everything but the port to the shared values', () => {
    expect(loadConfig(serviceConfigSchema({ httpPort: 4180 }), { NATS_NKEY_SEED })).toEqual({
      HTTP_PORT: 4180,
      HTTP_HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NKEY_SEED,
    });
  });

  it('takes the values the environment gives', () => {
    const config = loadConfig(serviceConfigSchema({ httpPort: 4180 }), {
      HTTP_PORT: '9000',
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      NATS_URL: 'tls://nats.internal:4222',
      NATS_NKEY_SEED,
    });
    expect(config).toMatchObject({ HTTP_PORT: 9000, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'debug' });
  });

  it('refuses an unknown log level and a NATS URL of another scheme', () => {
    expect(() =>
      loadConfig(serviceConfigSchema({ httpPort: 4180 }), { LOG_LEVEL: 'verbose', NATS_URL: 'http://nats:4222', NATS_NKEY_SEED }),
    ).toThrow(
      new ConfigError([
        { variable: 'LOG_LEVEL', problem: 'expected one of debug, info, warn, error, got "verbose"' },
        { variable: 'NATS_URL', problem: 'expected a nats:// or tls:// URL, got a http:// URL' },
      ]),
    );
  });

  it('needs the NATS nkey seed (NATS is never anonymous), and refuses anything else', () => {
    expect(() => loadConfig(serviceConfigSchema({ httpPort: 4180 }), {})).toThrow('  NATS_NKEY_SEED: required');
    expect(() => loadConfig(serviceConfigSchema({ httpPort: 4180 }), { NATS_NKEY_SEED: 'UAB' + NATS_NKEY_SEED.slice(3) })).toThrow(/NATS_NKEY_SEED: must be a NATS user nkey seed/);
  });

  it('lets a service extend it with variables of its own', () => {
    const schema = serviceConfigSchema({ httpPort: 4181 }).extend({ DATABASE_URL: postgresUrlField() });
    expect(() => loadConfig(schema, { NATS_NKEY_SEED })).toThrow('  DATABASE_URL: required');
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://db/app', NATS_NKEY_SEED }).HTTP_PORT).toBe(4181);
  });
});
