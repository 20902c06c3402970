import { sign } from 'node:crypto';
import { AssertionKey } from './assertion-keys';

/** Who the assertion is about: the identity verify sends to the app. */
export interface AssertionClaims {
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

const HEADER_CACHE = new WeakMap<AssertionKey, string>();

/**
 * Signs identity assertions (compact JWS, synchronous: verify calls it on its hot path, though it
 * caches the result) with the first key, and publishes every key's public half as a JWKS.
 */
export class AssertionSigner {
  constructor(
    private readonly keys: AssertionKey[],
    private readonly issuer: string,
  ) {
    if (keys.length === 0) throw new Error('AssertionSigner needs at least one key');
  }

  /** A JWT for `claims`, `aud` = `audience` (the request host), valid `ttlSec` seconds from `nowSec`. */
  sign(claims: AssertionClaims, audience: string, nowSec = Math.floor(Date.now() / 1000), ttlSec = 60): string {
    const key = this.keys[0];
    let header = HEADER_CACHE.get(key);
    if (!header) {
      header = b64(JSON.stringify({ alg: key.alg, kid: key.kid, typ: 'JWT' }));
      HEADER_CACHE.set(key, header);
    }
    const payload = b64(
      JSON.stringify({ iss: this.issuer, aud: audience, sub: claims.sub, email: claims.email, name: claims.name, groups: claims.groups, iat: nowSec, exp: nowSec + ttlSec }),
    );
    const input = `${header}.${payload}`;
    const signature =
      key.alg === 'EdDSA'
        ? sign(null, Buffer.from(input), key.privateKey)
        : sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }

  /** The JWKS document for `/.well-known/jwks.json`: all keys, the signing one first. */
  jwks(): { keys: AssertionKey['publicJwk'][] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64url');
}
