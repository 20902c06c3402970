import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { loginStateCookie } from '../cookies/cookies';
import { chooserPage } from '../http/pages';
import { HttpOutcome, redirect } from '../http/outcome';
import { LoginState } from '../login-state/login-state.store';
import { ProviderRegistry } from '../providers/provider-registry';
import { returnUrlOrDefault } from '../redirect/return-url';

/** What starting a login needs from the request. */
export interface StartLoginInput {
  /** `provider` query parameter; may be absent when only one provider is configured. */
  provider: string | undefined;
  /** `rd` query parameter: where to go after login (checked, else the default). */
  returnUrl: string | undefined;
  /** The `__Host-gate_login` cookie, if the browser already has one. */
  browserId: string | undefined;
}

/** The settings starting a login depends on. */
export interface StartLoginSettings {
  callbackUrl: string;
  cookieDomains: readonly string[];
  defaultRedirectUrl: string;
  loginStateTtlMs: number;
}

const BROWSER_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * `GET /login`: with several providers and none chosen, the chooser page; otherwise a new login
 * state (state, nonce, PKCE verifier, checked return URL) saved server-side under this browser's
 * id, the `__Host-` cookie that carries that id, and a redirect to the provider.
 */
export class StartLogin {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly states: { save(s: LoginState): Promise<void> },
    private readonly settings: StartLoginSettings,
  ) {}

  async run(input: StartLoginInput): Promise<HttpOutcome> {
    const providers = this.registry.providers;
    if (input.provider === undefined && providers.length > 1) {
      return { status: 200, html: chooserPage(providers, typeof input.returnUrl === 'string' ? input.returnUrl : undefined) };
    }
    const provider = this.registry.config(input.provider ?? providers[0].id);
    const client = this.registry.client(provider.id);
    const browserId = input.browserId && BROWSER_ID.test(input.browserId) ? input.browserId : randomBytes(32).toString('base64url');
    const state: LoginState = {
      state: oidc.randomState(),
      browserId,
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      provider: provider.id,
      returnUrl: returnUrlOrDefault(input.returnUrl, this.settings.cookieDomains, this.settings.defaultRedirectUrl),
    };
    const url = await client.authorizationUrl(this.settings.callbackUrl, state);
    await this.states.save(state);
    return redirect(url.href, 302, { 'set-cookie': loginStateCookie(browserId, this.settings.loginStateTtlMs) });
  }
}
