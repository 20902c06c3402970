import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Keyring, mac } from './keyring';

/** A freshly issued session: the cookie value (secret) and the public id that events carry. */
export interface IssuedSession {
  /** `<kid>.<secret>.<mac>`: goes into the cookie and nowhere else. */
  token: string;
  /** SHA-256 of the secret, base64url: the id in events, APIs and pages. */
  sessionId: string;
}

const B64URL_43 = /^[A-Za-z0-9_-]{43}$/;

/** Issues a new session token: 256 random bits, MAC'd with the keyring's current key. */
export function issueSessionToken(keyring: Keyring): IssuedSession {
  const secret = randomBytes(32).toString('base64url');
  const { kid, key } = keyring.current;
  return { token: `${kid}.${secret}.${mac(key, `${kid}.${secret}`)}`, sessionId: sessionIdOf(secret) };
}

/** The public session id of a secret. */
export function sessionIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/**
 * Checks a cookie value and returns the public session id, or null for anything malformed,
 * signed with an unknown key or with a wrong MAC (compared in constant time). Never throws, so
 * garbage cookies cannot cause a 5xx, and only tokens that login really issued can cause a lookup.
 */
export function verifySessionToken(keyring: Keyring, token: string | undefined | null): string | null {
  if (typeof token !== 'string' || token.length > 120) return null;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 1 || second < 0 || token.indexOf('.', second + 1) !== -1) return null;
  const kid = token.slice(0, first);
  const secret = token.slice(first + 1, second);
  const given = token.slice(second + 1);
  const key = keyring.byKid.get(kid);
  if (!key || !B64URL_43.test(secret) || !B64URL_43.test(given)) return null;
  const expected = mac(key.key, `${kid}.${secret}`);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return null;
  return sessionIdOf(secret);
}
