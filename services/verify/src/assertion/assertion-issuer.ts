import type { AssertionSigner } from '@gate/identity-assertion';
import type { Identity } from '../state/identity';

/** How long an assertion is valid (FORWARD_AUTH.md: 60 s by default, at most 5 minutes). */
export const ASSERTION_TTL_SEC = 60;

/**
 * Signs the `X-Forwarded-User-Assertion` for an identity and a request host, and keeps it on the
 * identity while it has more than half its life left, so that signing is not on every request.
 */
export class AssertionIssuer {
  constructor(
    private readonly signer: AssertionSigner,
    private readonly ttlSec = ASSERTION_TTL_SEC,
  ) {}

  /** A valid assertion for `identity` with `aud` = `audience` (the normalised request host). */
  assertionFor(identity: Identity, audience: string, nowSec: number): string {
    const cached = identity.assertions.get(audience);
    if (cached !== undefined && cached.renewAtSec > nowSec) return cached.token;
    const token = this.signer.sign(
      { sub: identity.id, email: identity.email, name: identity.name, groups: [...identity.groups].sort() },
      audience,
      nowSec,
      this.ttlSec,
    );
    identity.assertions.set(audience, { token, renewAtSec: nowSec + Math.floor(this.ttlSec / 2) });
    return token;
  }

  /**
   * True while `identity` holds an assertion that `assertionFor` would still hand out. Once none,
   * the identity has not been used for at least half an assertion's life and may be dropped.
   */
  holdsLive(identity: Identity, nowSec: number): boolean {
    for (const cached of identity.assertions.values()) if (cached.renewAtSec > nowSec) return true;
    return false;
  }

  /** The JWKS document for `/.well-known/jwks.json`. */
  jwks(): unknown {
    return this.signer.jwks();
  }
}
