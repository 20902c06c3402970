import { createHmac } from 'node:crypto';

/** One MAC key with its id; the id travels in the cookie so keys can rotate. */
export interface SessionKey {
  kid: string;
  key: Buffer;
}

/** The keys shared by login (signs) and verify/sessions (check): the first one signs. */
export interface Keyring {
  current: SessionKey;
  byKid: ReadonlyMap<string, SessionKey>;
}

/**
 * Parses `kid:base64key[,kid:base64key…]` (the first key signs new cookies, all are accepted, so
 * a new key is added first and an old one removed after the longest session lifetime). Each key
 * must be at least 32 bytes; kids are 1-16 letters, digits, `_` or `-`.
 */
export function parseKeyring(spec: string): Keyring {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      const kid = entry.slice(0, colon);
      if (colon < 1 || !/^[A-Za-z0-9_-]{1,16}$/.test(kid)) throw new Error(`session key "${entry.slice(0, 20)}…": expected kid:base64key`);
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length < 32) throw new Error(`session key ${kid}: at least 32 bytes of key material, got ${key.length}`);
      return { kid, key };
    });
  if (keys.length === 0) throw new Error('no session key given');
  const byKid = new Map(keys.map((k) => [k.kid, k]));
  if (byKid.size !== keys.length) throw new Error('duplicate session key id');
  return { current: keys[0], byKid };
}

/** HMAC-SHA256 of `data` with `key`, base64url (43 characters). */
export function mac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
