import * as client from 'openid-client';
import { LoginError } from '../login/login-errors';
import { withinDeadline } from './deadline';
import { githubIdentity } from './github-identity';
import { ProviderConfig } from './provider-config';
import { providerLoginError } from './provider-failure';

/*
 * openid-client 6's functional API, used directly rather than through its passport strategy: our
 * login state lives server-side (Postgres, single use, bound to a browser cookie), while the
 * strategy keeps state in a framework session. Here each step is one explicit call.
 */

/** What login learns about a person from a provider. */
export interface Identity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

/** The per-login secrets that the callback is checked against. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** How login talks to every provider. */
export interface ProviderConnection {
  /** Let openid-client speak plain http to the provider (tests against a local provider only). */
  allowInsecure: boolean;
  /** The longest a provider may take: for discovery, and for a callback's whole exchange. */
  timeoutMs: number;
}

const GITHUB_METADATA: client.ServerMetadata = {
  issuer: 'https://github.com',
  authorization_endpoint: 'https://github.com/login/oauth/authorize',
  token_endpoint: 'https://github.com/login/oauth/access_token',
};

/** A discovered provider: builds authorization URLs, completes callbacks, builds logout URLs. */
export class OidcClient {
  private constructor(
    readonly provider: ProviderConfig,
    private readonly config: client.Configuration,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Discovers an OIDC provider (or sets up GitHub's fixed endpoints); rejects when unreachable.
   * For OIDC the ID token's signature is always checked against the provider's JWKS
   * (openid-client's non-repudiation checks): by default openid-client relies on TLS to the token
   * endpoint instead, which is no check at all over http or against a provider signing with a
   * key it never published.
   */
  static async connect(provider: ProviderConfig, connection: ProviderConnection): Promise<OidcClient> {
    const timeout = connection.timeoutMs / 1000;
    const execute = connection.allowInsecure ? [client.allowInsecureRequests] : [];
    let config: client.Configuration;
    if (provider.preset === 'github') {
      config = new client.Configuration(GITHUB_METADATA, provider.clientId, provider.clientSecret);
      if (connection.allowInsecure) client.allowInsecureRequests(config);
    } else {
      config = await client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, { execute, timeout });
      client.enableNonRepudiationChecks(config);
    }
    config.timeout = timeout;
    return new OidcClient(provider, config, connection.timeoutMs);
  }

  /** Where to send the browser: code flow with PKCE S256, state, and (for OIDC) nonce. */
  async authorizationUrl(redirectUri: string, checks: LoginChecks): Promise<URL> {
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: this.provider.scopes.join(' '),
      response_type: 'code',
      state: checks.state,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (this.provider.preset !== 'github') params.nonce = checks.nonce;
    return client.buildAuthorizationUrl(this.config, params);
  }

  /**
   * Validates the authorization response (state, iss), redeems the code with the PKCE verifier,
   * validates the id_token (signature against the provider's JWKS, iss, aud, exp, nonce) and
   * returns who logged in. Claims the id_token lacks (e-mail, groups) are read from the userinfo
   * endpoint, for the same subject. The whole exchange gets the provider timeout: a provider that
   * is down is PROVIDER_UNREACHABLE, one that is too slow PROVIDER_TIMEOUT, an answer that does not
   * validate VALIDATION_FAILED.
   */
  completeLogin(callbackUrl: URL, checks: LoginChecks): Promise<Identity> {
    const p = this.provider;
    const timedOut = () => new LoginError('PROVIDER_TIMEOUT', `${p.name} did not answer in time. Please try again.`, p.id);
    return withinDeadline(this.exchange(callbackUrl, checks), this.timeoutMs, timedOut);
  }

  private async exchange(callbackUrl: URL, checks: LoginChecks): Promise<Identity> {
    const oidc = this.provider.preset !== 'github';
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(this.config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        ...(oidc ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
      });
    } catch (err) {
      if (err instanceof client.AuthorizationResponseError) throw new LoginError('IDP_ERROR', `the provider refused the login (${err.error})`, this.provider.id);
      throw providerLoginError(err, this.provider, "the provider's answer did not validate");
    }
    if (!oidc) return githubIdentity(tokens.access_token, { timeoutMs: this.timeoutMs, provider: this.provider });
    const claims: Record<string, unknown> = { ...tokens.claims()! };
    const groupsClaim = this.provider.groupsClaim;
    if (typeof claims.email !== 'string' || (groupsClaim && !(groupsClaim in claims))) {
      if (this.config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(this.config, tokens.access_token, claims.sub as string).catch((err: unknown) => {
          throw providerLoginError(err, this.provider, "the provider's userinfo did not validate");
        });
        for (const [k, v] of Object.entries(info)) if (!(k in claims)) claims[k] = v;
      }
    }
    return {
      subject: String(claims.sub),
      email: typeof claims.email === 'string' ? claims.email : null,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: typeof claims.name === 'string' ? claims.name : null,
      groups: groupsOf(groupsClaim ? claims[groupsClaim] : undefined),
    };
  }

  /** The provider's RP-initiated logout URL, when it has an end_session_endpoint; else null. */
  endSessionUrl(postLogoutRedirectUri: string | null): URL | null {
    if (!this.config.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = { client_id: this.provider.clientId };
    if (postLogoutRedirectUri) params.post_logout_redirect_uri = postLogoutRedirectUri;
    return client.buildEndSessionUrl(this.config, params);
  }
}

/** A groups claim as a list of strings: an array of strings (others dropped), or [] when absent. */
export function groupsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 256);
}
