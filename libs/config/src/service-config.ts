import { z } from 'zod';
import { enumField, portField, urlField } from './env-fields';

/** The log levels a service accepts in `LOG_LEVEL`, from most to least verbose. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * The schema every service's config starts from: where to listen, how much to log, where NATS
 * is and who the service is on it. A service adds its own variables with `.extend({...})`, e.g.
 * `DATABASE_URL: postgresUrlField()`.
 */
export function serviceConfigSchema(defaults: { httpPort: number }) {
  return z.object({
    HTTP_PORT: portField().default(defaults.httpPort),
    HTTP_HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: enumField(LOG_LEVELS).default('info'),
    NATS_URL: urlField(['nats', 'tls']).default('nats://127.0.0.1:4222'),
    /**
     * The service's NATS user: its nkey seed (`SU…`), generated at first start; give it as
     * `NATS_NKEY_SEED_FILE`. NATS refuses anonymous connections, so there is no default.
     */
    NATS_NKEY_SEED: z
      .string()
      .trim()
      .regex(/^SU[A-Z2-7]{56}$/, 'must be a NATS user nkey seed (58 characters starting with SU)'),
  });
}

/** What every service's config holds, whatever it adds. */
export type ServiceConfig = z.output<ReturnType<typeof serviceConfigSchema>>;

/**
 * Injection token of the service's validated config object. `bootstrapService` provides it to the
 * whole app: `constructor(@Inject(SERVICE_CONFIG) config: VerifyConfig)`.
 */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
