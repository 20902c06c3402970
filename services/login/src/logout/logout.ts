import { LookupSessionReply, RevokeSessionReply } from '@gate/events';
import { Keyring, verifySessionToken } from '@gate/session-token';
import { clearSessionCookie } from '../cookies/cookies';
import { LoginError } from '../login/login-errors';
import { HttpOutcome, redirect } from '../http/outcome';
import { errorPage, loggedOutPage, logoutConfirmPage } from '../http/pages';
import { ProviderRegistry } from '../providers/provider-registry';

/** What logout asks of the sessions service. */
export interface SessionRevoker {
  lookup(sessionId: string): Promise<LookupSessionReply>;
  revoke(sessionId: string, revokedBy: string): Promise<RevokeSessionReply>;
}

/** What a logout request carries. */
export interface LogoutInput {
  sessionToken: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** The settings logout depends on. */
export interface LogoutSettings {
  authOrigin: string;
  cookieDomains: readonly string[];
  keyring: Keyring;
  sessionCookieName: string;
  logoutRedirectUrl: string | undefined;
}

/**
 * Logout. `GET /logout` only shows a confirmation form; `POST /logout` from the auth host's own
 * origin revokes the session in sessions, clears the cookie on every cookie domain, and goes to
 * the provider's end-session endpoint (when configured), LOGOUT_REDIRECT_URL, or a signed-out page.
 */
export class Logout {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly sessions: SessionRevoker,
    private readonly settings: LogoutSettings,
  ) {}

  /** The session cookie's name, to read it from the request. */
  get cookieName(): string {
    return this.settings.sessionCookieName;
  }

  /** `GET /logout`: never a state change on a GET. */
  confirm(): HttpOutcome {
    return { status: 200, html: logoutConfirmPage() };
  }

  /** `POST /logout`. */
  async run(input: LogoutInput): Promise<HttpOutcome> {
    this.assertSameOrigin(input);
    const clear = this.settings.cookieDomains.map((d) => clearSessionCookie(this.settings.sessionCookieName, d));
    const sessionId = verifySessionToken(this.settings.keyring, input.sessionToken);
    let provider: string | null = null;
    if (sessionId) {
      const found = await this.sessions.lookup(sessionId).catch(() => ({ found: false }) as LookupSessionReply);
      provider = found.found ? found.session.provider : null;
      const revokedBy = found.found ? found.session.userId : 'login';
      try {
        await this.sessions.revoke(sessionId, revokedBy);
      } catch {
        // The cookie goes anyway; the user learns that the session itself may still be live.
        const err = new LoginError('SESSIONS_UNAVAILABLE', 'Your session could not be ended on the server. Please try again.');
        return { status: err.status, headers: { 'set-cookie': clear }, html: errorPage('Sign-out incomplete', err.message, err.code) };
      }
    }
    const next = this.nextUrl(provider);
    return next ? redirect(next, 303, { 'set-cookie': clear }) : { status: 200, headers: { 'set-cookie': clear }, html: loggedOutPage() };
  }

  private nextUrl(provider: string | null): string | null {
    const p = provider ? this.registry.providers.find((x) => x.id === provider) : undefined;
    if (p?.logoutAtProvider) {
      const url = this.registry.clientOrNull(p.id)?.endSessionUrl(this.settings.logoutRedirectUrl ?? null);
      if (url) return url.href;
    }
    return this.settings.logoutRedirectUrl ?? null;
  }

  /** Cross-site POSTs are refused: the Origin must be the auth host's, or Sec-Fetch-Site same-origin. */
  private assertSameOrigin(input: LogoutInput): void {
    const sameOrigin = input.origin !== undefined ? input.origin === this.settings.authOrigin : input.secFetchSite === 'same-origin';
    if (!sameOrigin) throw new LoginError('CROSS_SITE', 'Sign-out must be confirmed on the sign-in page.');
  }
}
