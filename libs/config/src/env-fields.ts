import { z } from 'zod';

// Builders for the shapes our environment variables take. Each starts from the raw string that
// `loadConfig` hands over and says in its message what it expected. Values are echoed back only
// where they cannot be secret (never for URLs, which may carry a password, nor for secrets).

const ECHO_LIMIT = 40;

function quoted(raw: string): string {
  return JSON.stringify(raw.length > ECHO_LIMIT ? `${raw.slice(0, ECHO_LIMIT)}...` : raw);
}

/** A field that turns the raw string into T, or fails with `expected <what>, got "<raw>"`. */
function parsedField<T>(expected: string, parse: (raw: string) => T | undefined) {
  return z.string().transform((raw, ctx): T => {
    const value = parse(raw);
    if (value !== undefined) return value;
    ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${quoted(raw)}` });
    return z.NEVER;
  });
}

/** A TCP port: an integer 1-65535. */
export function portField() {
  return parsedField('an integer 1-65535', (raw) => {
    const n = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
    return n >= 1 && n <= 65535 ? n : undefined;
  });
}

/**
 * An absolute URL whose scheme is one of `schemes` (without the colon), kept as written. The value
 * is never echoed in the error, since a URL may carry a password.
 */
export function urlField(schemes: readonly string[]) {
  const wanted = schemes.map((s) => `${s}://`).join(' or ');
  return z.string().transform((raw, ctx) => {
    let scheme: string;
    try {
      scheme = new URL(raw).protocol.slice(0, -1);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected a ${wanted} URL, got something that is not a URL` });
      return z.NEVER;
    }
    if (schemes.includes(scheme)) return raw;
    ctx.addIssue({ code: 'custom', message: `expected a ${wanted} URL, got a ${scheme}:// URL` });
    return z.NEVER;
  });
}

/** A PostgreSQL connection URL (`postgres://` or `postgresql://`). */
export function postgresUrlField() {
  return urlField(['postgres', 'postgresql']);
}

/** A PostgreSQL schema name: a plain lower-case identifier (it is put into SQL quoted). */
export function schemaNameField() {
  return z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case identifier such as "directory"');
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads a duration such as `250ms`, `30s`, `10m`, `24h` or `7d` as milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS_MS[match[2]];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** A duration written with one unit (`ms`, `s`, `m`, `h`, `d`), as milliseconds. */
export function durationField() {
  return parsedField('a duration such as 30s, 10m or 24h', parseDuration);
}

/** A comma-separated list; items are trimmed and empty items dropped (`a, b,,c` is `['a','b','c']`). */
export function listField() {
  return z.string().transform((raw) =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** A boolean written `true`, `false`, `1` or `0` (any case). */
export function booleanField() {
  return parsedField('true, false, 1 or 0', (raw) => BOOLEANS[raw.toLowerCase()]);
}

/**
 * A secret of at least `minLength` characters (default 32). Its value never appears in an error;
 * give it through `NAME_FILE` (Docker secrets) rather than in the environment.
 */
export function secretField(minLength = 32) {
  return z.string().superRefine((raw, ctx) => {
    if (raw.length < minLength) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a secret of at least ${minLength} characters, got ${raw.length}`,
      });
    }
  });
}

/** One of a fixed set of words, e.g. `enumField(['debug', 'info'])`. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return parsedField(`one of ${values.join(', ')}`, (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T[number]) : undefined,
  );
}

/**
 * A value read by `parse`, which throws an Error saying what is wrong (e.g. a key ring or a JSON
 * document): that message becomes the problem, with anything quoted in it masked, so a secret
 * never appears in a log.
 */
export function parsedWith<T>(parse: (raw: string) => T) {
  return z.string().transform((raw, ctx): T => {
    try {
      return parse(raw);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message.replace(/"[^"]*"/g, '"…"') : 'invalid' });
      return z.NEVER;
    }
  });
}
