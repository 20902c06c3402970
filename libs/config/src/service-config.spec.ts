import { ConfigError } from './config-error';
import { postgresUrlField } from './env-fields';
import { loadConfig } from './load-config';
import { serviceConfigSchema } from './service-config';

describe('serviceConfigSchema', () => {
  it('defaults everything but the port to the shared values', () => {
    expect(loadConfig(serviceConfigSchema({ httpPort: 4180 }), {})).toEqual({
      HTTP_PORT: 4180,
      HTTP_HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      NATS_URL: 'nats://127.0.0.1:4222',
    });
  });

  it('takes the values the environment gives', () => {
    const config = loadConfig(serviceConfigSchema({ httpPort: 4180 }), {
      HTTP_PORT: '9000',
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      NATS_URL: 'tls://nats.internal:4222',
    });
    expect(config).toMatchObject({ HTTP_PORT: 9000, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'debug' });
  });

  it('refuses an unknown log level and a NATS URL of another scheme', () => {
    expect(() =>
      loadConfig(serviceConfigSchema({ httpPort: 4180 }), { LOG_LEVEL: 'verbose', NATS_URL: 'http://nats:4222' }),
    ).toThrow(
      new ConfigError([
        { variable: 'LOG_LEVEL', problem: 'expected one of debug, info, warn, error, got "verbose"' },
        { variable: 'NATS_URL', problem: 'expected a nats:// or tls:// URL, got a http:// URL' },
      ]),
    );
  });

  it('lets a service extend it with variables of its own', () => {
    const schema = serviceConfigSchema({ httpPort: 4181 }).extend({ DATABASE_URL: postgresUrlField() });
    expect(() => loadConfig(schema, {})).toThrow('  DATABASE_URL: required');
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://db/app' }).HTTP_PORT).toBe(4181);
  });
});
