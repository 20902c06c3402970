import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Every API token starts with this, so that a leaked one is easy to recognise in a scan. */
export const TOKEN_PREFIX = 'gat_';

/** A new API token: `gat_` + base64url(32 random bytes). Shown once, never stored. */
export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** A short random id for a token (public: it names the token in lists and events). */
export function newTokenId(): string {
  return randomBytes(12).toString('base64url');
}

/** Compares two token hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
