import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { AssertionClaims } from './assertion-signer';
import { AssertionVerifier } from './assertion-verifier';

/** The header verify puts its signed assertion in (Traefik copies it onto the forwarded request). */
export const ASSERTION_HEADER = 'x-forwarded-user-assertion';

/** Injection token of the strategy's options; `null` turns the way in off (every attempt fails). */
export const ASSERTION_OPTIONS = 'ASSERTION_OPTIONS';

/** What a service accepting assertions must be told. */
export interface AssertionStrategyOptions {
  verifier: AssertionVerifier;
  /** The hosts this service is reached at (the `aud` verify signed for). */
  audiences: string[];
}

/** The principal an assertion yields: `req.user` after `AuthGuard('assertion')`. */
export interface AssertedPrincipal extends AssertionClaims {
  via: 'assertion';
}

/**
 * Passport strategy `assertion`: accepts a request that carries a valid assertion signed by verify
 * (checked against verify's JWKS), so an admin behind Traefik needs no token. Never trusts a bare
 * identity header.
 */
@Injectable()
export class AssertionStrategy extends PassportStrategy(Strategy, 'assertion') {
  constructor(@Inject(ASSERTION_OPTIONS) private readonly options: AssertionStrategyOptions | null) {
    super();
  }

  async validate(req: { headers: Record<string, string | string[] | undefined> }): Promise<AssertedPrincipal | false> {
    const header = req.headers[ASSERTION_HEADER];
    if (!this.options || typeof header !== 'string' || header.length === 0 || header.length > 8192) return false;
    try {
      const claims = await this.options.verifier.verify(header, this.options.audiences);
      return { ...claims, via: 'assertion' };
    } catch {
      return false;
    }
  }
}
