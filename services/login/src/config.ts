import { booleanField, durationField, listField, parsedWith, postgresUrlField, schemaNameField, serviceConfigSchema, urlField } from '@gate/config';
import { Keyring, parseKeyring } from '@gate/session-token';
import { z } from 'zod';
import { parseProviders, ProviderConfig } from './providers/provider-config';
import { cookieDomainFor, isLoopbackHost } from './redirect/return-url';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `https://…`, or `http://` on a loopback host only (tests and local development). */
function publicUrlField() {
  return urlField(['https', 'http']).superRefine((raw, ctx) => {
    const url = new URL(raw);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) ctx.addIssue({ code: 'custom', message: 'expected an https:// URL (http:// only on a loopback host)' });
  });
}

/** `30/1m`: at most 30 requests per minute per client IP, as a token bucket. */
export interface RateLimit {
  count: number;
  perMs: number;
}

function parseRateLimit(raw: string): RateLimit {
  const m = /^(\d{1,6})\/(\d+(?:ms|s|m|h))$/.exec(raw);
  const perMs = m ? durationField().safeParse(m[2]).data : undefined;
  if (!m || !perMs || Number(m[1]) < 1) throw new Error(`expected <count>/<duration> such as 30/1m, got ${JSON.stringify(raw.slice(0, 40))}`);
  return { count: Number(m[1]), perMs };
}

/** The longest OIDC_TIMEOUT may be: with sessions' 3 s after it, a callback stays well inside Traefik's 30 s. */
const MAX_OIDC_TIMEOUT_MS = 15_000;

/**
 * The login service's environment. `OIDC_ALLOW_INSECURE_ISSUER=true` lets openid-client talk to an
 * http:// issuer: for tests against a local provider only, never in production. `OIDC_TIMEOUT`
 * (default `5s`, at most `15s`) bounds discovery and each callback's whole exchange with the
 * provider (token, JWKS, userinfo): past it the user gets a 504 page and can start again.
 */
export const loginConfigSchema = serviceConfigSchema({ httpPort: 4181 })
  .extend({
    DATABASE_URL: postgresUrlField(),
    DATABASE_SCHEMA: schemaNameField().optional(),
    AUTH_URL: publicUrlField().transform((raw) => raw.replace(/\/+$/, '')),
    COOKIE_DOMAINS: listField().pipe(
      z.array(z.string().transform((d) => d.toLowerCase().replace(/^\./, '')).pipe(z.string().regex(HOSTNAME, 'expected host names such as example.com'))).min(1, 'expected at least one cookie domain'),
    ),
    DEFAULT_REDIRECT_URL: publicUrlField(),
    SESSION_KEYS: parsedWith<Keyring>(parseKeyring),
    SESSION_COOKIE_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected letters, digits, _ or -').default('gate_session'),
    SESSION_LIFETIME: durationField().default(24 * 3_600_000),
    LOGIN_STATE_TTL: durationField().default(10 * 60_000),
    OIDC_PROVIDERS: parsedWith<ProviderConfig[]>(parseProviders),
    OIDC_ALLOW_INSECURE_ISSUER: booleanField().default(false),
    OIDC_TIMEOUT: durationField()
      .pipe(z.number().min(1_000, 'expected at least 1s').max(MAX_OIDC_TIMEOUT_MS, 'expected at most 15s, well under the proxy\'s 30 s'))
      .default(5_000),
    LOGOUT_REDIRECT_URL: publicUrlField().optional(),
    RATE_LIMIT_LOGIN: parsedWith<RateLimit>(parseRateLimit).default({ count: 30, perMs: 60_000 }),
    TRUST_PROXY: booleanField().default(false),
  })
  .superRefine((c, ctx) => {
    // Redirect targets must themselves pass the return-URL check, or a login would end nowhere.
    for (const name of ['DEFAULT_REDIRECT_URL', 'LOGOUT_REDIRECT_URL'] as const) {
      const value = c[name];
      if (value && cookieDomainFor(new URL(value).hostname, c.COOKIE_DOMAINS) === null) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'expected a URL on one of COOKIE_DOMAINS' });
      }
    }
  });

/** The login service's validated config, injectable as `SERVICE_CONFIG`. */
export type LoginConfig = z.output<typeof loginConfigSchema>;
