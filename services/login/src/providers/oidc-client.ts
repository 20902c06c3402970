import * as client from 'openid-client';
import { LoginError } from '../login/login-errors';
import { githubIdentity } from './github-identity';
import { ProviderConfig } from './provider-config';

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
  ) {}

  /** Discovers an OIDC provider (or sets up GitHub's fixed endpoints); rejects when unreachable. */
  static async connect(provider: ProviderConfig, allowInsecure: boolean, timeoutSec = 5): Promise<OidcClient> {
    const execute = allowInsecure ? [client.allowInsecureRequests] : [];
    let config: client.Configuration;
    if (provider.preset === 'github') {
      config = new client.Configuration(GITHUB_METADATA, provider.clientId, provider.clientSecret);
    } else {
      config = await client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, { execute, timeout: timeoutSec });
    }
    config.timeout = timeoutSec;
    if (allowInsecure && provider.preset === 'github') client.allowInsecureRequests(config);
    return new OidcClient(provider, config);
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
   * validates the id_token (signature, iss, aud, exp, nonce) and returns who logged in. Claims the
   * id_token lacks (e-mail, groups) are read from the userinfo endpoint, for the same subject.
   */
  async completeLogin(callbackUrl: URL, checks: LoginChecks): Promise<Identity> {
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
      throw new LoginError('VALIDATION_FAILED', `the provider's answer did not validate (${(err as Error).message})`, this.provider.id);
    }
    if (!oidc) return githubIdentity(tokens.access_token);
    const claims: Record<string, unknown> = { ...tokens.claims()! };
    const groupsClaim = this.provider.groupsClaim;
    if (typeof claims.email !== 'string' || (groupsClaim && !(groupsClaim in claims))) {
      if (this.config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(this.config, tokens.access_token, claims.sub as string).catch((err: Error) => {
          throw new LoginError('VALIDATION_FAILED', `the provider's userinfo did not validate (${err.message})`, this.provider.id);
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
