import { durationField, parsedWith, postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import { assertionConfigFields } from '@gate/identity-assertion';
import { parseKeyring } from '@gate/session-token';
import { z } from 'zod';

/**
 * The sessions service's environment: the shared base, its event store's database, session
 * lifetime and idle timeout, the sweeper's interval, the cookie keys (shared with login and
 * verify) and, optionally, the identity assertion that verify signs.
 */
export const sessionsConfigSchema = serviceConfigSchema({ httpPort: 4183 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
  /** Absolute lifetime of a session from its start. */
  SESSION_LIFETIME: durationField().default(24 * 3_600_000),
  /** Idle timeout (off unless set). */
  SESSION_IDLE_TIMEOUT: durationField().optional(),
  /** How often the sweeper looks for sessions past their expiry. */
  SESSION_SWEEP_INTERVAL: durationField().default(60_000),
  /** The cookie MAC keys (`kid:base64key,…`); give them through SESSION_KEYS_FILE. */
  SESSION_KEYS: parsedWith(parseKeyring),
  SESSION_COOKIE_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a cookie name of letters, digits, _ or -').default('gate_session'),
  /** verify's identity assertion as a second way in (ASSERTION_ISSUER, _JWKS_URL, _AUDIENCE): all or none. */
  ...assertionConfigFields,
}).superRefine((c, ctx) => {
  const set = [c.ASSERTION_ISSUER, c.ASSERTION_JWKS_URL, c.ASSERTION_AUDIENCE].filter((v) => v !== undefined).length;
  if (set !== 0 && set !== 3) ctx.addIssue({ code: 'custom', path: ['ASSERTION_ISSUER'], message: 'set ASSERTION_ISSUER, ASSERTION_JWKS_URL and ASSERTION_AUDIENCE together, or none of them' });
});

/** The sessions service's validated config, injectable as `SERVICE_CONFIG`. */
export type SessionsConfig = z.output<typeof sessionsConfigSchema>;
