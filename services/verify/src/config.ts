import { durationField, parsedWith, serviceConfigSchema, urlField } from '@gate/config';
import { loadAssertionKeys } from '@gate/identity-assertion';
import { parseKeyring } from '@gate/session-token';
import { z } from 'zod';

/**
 * What verify itself is configured with, beyond what every service has (where it listens, NATS):
 * what `createVerify` takes. Every variable can also be given as `NAME_FILE`.
 */
export const verifySettingsSchema = z.object({
  /** `kid:base64key,…`, shared with login and sessions; checks the session cookie's MAC. */
  SESSION_KEYS: parsedWith(parseKeyring),
  SESSION_COOKIE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('gate_session'),
  /** The auth host's URL: the login redirect goes to `${AUTH_URL}/login`, and it is the assertion's `iss`. */
  AUTH_URL: urlField(['https', 'http']).transform((u) => u.replace(/\/+$/, '')),
  /** Prefix of the identity headers: `<prefix>`, `<prefix>-Email`, `-Name`, `-Groups`, `-Assertion`. */
  IDENTITY_HEADER_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/).default('X-Forwarded-User'),
  /** A JSON array of private JWKs (first signs). Give it as ASSERTION_KEYS_FILE (a Docker secret). */
  ASSERTION_KEYS: parsedWith(loadAssertionKeys),
  /** How long verify may lose the event stream before it refuses session-based decisions (503). */
  STREAM_STALE_AFTER: durationField().default(30_000),
  /** How long verify waits for sessions to answer a lookup of an unknown session id. */
  LOOKUP_TIMEOUT: durationField().default(1_500),
  /** How long a "no such session" answer is remembered. */
  LOOKUP_NEGATIVE_TTL: durationField().default(5_000),
  /** Lookups per second (token bucket refill) and burst, across all ids. */
  LOOKUP_RATE: z.coerce.number().int().positive().default(50),
  LOOKUP_BURST: z.coerce.number().int().positive().default(100),
  /** How often last-seen and token-use batches are sent. */
  REPORT_INTERVAL: durationField().default(5_000),
  /** At most one last-seen report per session per this long. */
  SEEN_SAMPLE: durationField().default(60_000),
});

/** Verify's own settings, validated. */
export type VerifySettings = z.output<typeof verifySettingsSchema>;

/**
 * The verify service's environment. Verify keeps no database: its state is rebuilt from the
 * event streams at every start.
 */
export const verifyConfigSchema = serviceConfigSchema({ httpPort: 4180 }).extend(verifySettingsSchema.shape);

/** The verify service's validated config, injectable as `SERVICE_CONFIG`. */
export type VerifyConfig = z.output<typeof verifyConfigSchema>;
