import { createLocalJWKSet, createRemoteJWKSet, JSONWebKeySet, jwtVerify } from 'jose';
import { AssertionClaims } from './assertion-signer';

/** Where the verifier gets verify's public keys, and whose assertions it accepts. */
export interface AssertionVerifierOptions {
  /** The `iss` verify puts in (its AUTH_URL). */
  issuer: string;
  /** verify's `/.well-known/jwks.json` (fetched and cached, refetched on an unknown kid). */
  jwksUrl?: string;
  /** Or the keys themselves (tests, or keys mounted from a file). */
  jwks?: JSONWebKeySet;
}

/** An assertion that is missing, malformed, forged, expired, or for another audience. */
export class InvalidAssertionError extends Error {
  readonly code = 'AUTH.INVALID_ASSERTION';
}

/**
 * Checks identity assertions signed by verify: signature against the JWKS (EdDSA or ES256 only),
 * issuer, audience, expiry (5 s clock tolerance) and an age of at most 5 minutes.
 */
export class AssertionVerifier {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet> | ReturnType<typeof createLocalJWKSet>;

  constructor(private readonly options: AssertionVerifierOptions) {
    if (options.jwks) this.keySet = createLocalJWKSet(options.jwks);
    else if (options.jwksUrl) this.keySet = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    else throw new Error('AssertionVerifier needs jwksUrl or jwks');
  }

  /** The claims of a valid assertion for one of `audiences`; throws InvalidAssertionError otherwise. */
  async verify(token: string, audiences: string | string[]): Promise<AssertionClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: this.options.issuer,
        audience: audiences,
        algorithms: ['EdDSA', 'ES256'],
        clockTolerance: 5,
        maxTokenAge: '5m',
        requiredClaims: ['sub', 'iat', 'exp'],
      });
      const groups = Array.isArray(payload.groups) ? payload.groups.filter((g): g is string => typeof g === 'string') : [];
      return { sub: String(payload.sub), email: String(payload.email ?? ''), name: String(payload.name ?? ''), groups };
    } catch (err) {
      throw new InvalidAssertionError(`invalid assertion: ${(err as Error).message}`);
    }
  }
}
