import { LookupSessionReply, RevokeSessionReply } from '@gate/events';
import { Keyring, verifySessionToken } from '@gate/session-token';
import { clearSessionCookie } from '../cookies/cookies';
import { LoginError } from '../login/login-errors';
import { HttpOutcome, redirect } from '../http/outcome';
import { errorPage, loggedOutPage, logoutConfirmPage } from '../http/pages';
import { ProviderRegistry } from '../providers/provider-registry';
import { safeReturnUrl } from '../redirect/return-url';

/** What logout asks of the sessions service. */
export interface SessionRevoker {
  lookup(sessionId: string): Promise<LookupSessionReply>;
  revoke(sessionId: string, revokedBy: string): Promise<RevokeSessionReply>;
}

/** What a logout request carries. */
export interface LogoutInput {
  /** Every value of the session cookie the request carries (a stale parent-domain copy may come first). */
  sessionTokens: readonly string[];
  /** `rd`: where to go afterwards; used only when it passes the same check as login's. */
  returnUrl: string | undefined;
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

/** One presented session after logout tried to end it. */
interface Ended {
  provider: string | null;
  active: boolean;
  /** Sessions answered the revocation (whether or not the session was still live). */
  answered: boolean;
}

/**
 * Logout. `GET /logout` only shows a confirmation form; `POST /logout` from the auth host's own
 * origin revokes in sessions every session whose cookie the request presents (a browser may send
 * a stale parent-domain copy first), clears the cookie on every cookie domain, and goes to the
 * provider's end-session endpoint (when the provider is configured for it; the provider only
 * returns to its registered LOGOUT_REDIRECT_URL), else to `rd` when it passes login's return-URL
 * check, else LOGOUT_REDIRECT_URL, else a signed-out page.
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

  /** `GET /logout`: never a state change on a GET; the form carries `rd` on when it is allowed. */
  confirm(returnUrl: string | undefined): HttpOutcome {
    return { status: 200, html: logoutConfirmPage(safeReturnUrl(returnUrl, this.settings.cookieDomains)?.href ?? null) };
  }

  /** `POST /logout`. */
  async run(input: LogoutInput): Promise<HttpOutcome> {
    this.assertSameOrigin(input);
    const clear = this.settings.cookieDomains.map((d) => clearSessionCookie(this.settings.sessionCookieName, d));
    const ids = new Set<string>();
    for (const token of input.sessionTokens) {
      const id = verifySessionToken(this.settings.keyring, token);
      if (id !== null) ids.add(id);
    }
    const ended = await Promise.all([...ids].map((id) => this.end(id)));
    if (ended.some((e) => !e.answered)) {
      // The cookie goes anyway; the user learns that a session itself may still be live.
      const err = new LoginError('SESSIONS_UNAVAILABLE', 'Your session could not be ended on the server. Please try again.');
      return { status: err.status, headers: { 'set-cookie': clear }, html: errorPage('Sign-out incomplete', err.message, err.code) };
    }
    const provider = (ended.find((e) => e.active) ?? ended.find((e) => e.provider !== null))?.provider ?? null;
    const next = this.nextUrl(provider, input.returnUrl);
    return next ? redirect(next, 303, { 'set-cookie': clear }) : { status: 200, headers: { 'set-cookie': clear }, html: loggedOutPage() };
  }

  /** Revokes one session, naming the revoking user and remembering its provider when sessions knows it. */
  private async end(sessionId: string): Promise<Ended> {
    const found = await this.sessions.lookup(sessionId).catch(() => ({ found: false }) as LookupSessionReply);
    const ended = { provider: found.found ? found.session.provider : null, active: found.found && found.session.status === 'active' };
    try {
      await this.sessions.revoke(sessionId, found.found ? found.session.userId : 'login');
      return { ...ended, answered: true };
    } catch {
      return { ...ended, answered: false };
    }
  }

  private nextUrl(provider: string | null, returnUrl: string | undefined): string | null {
    const p = provider ? this.registry.providers.find((x) => x.id === provider) : undefined;
    if (p?.logoutAtProvider) {
      const url = this.registry.clientOrNull(p.id)?.endSessionUrl(this.settings.logoutRedirectUrl ?? null);
      if (url) return url.href;
    }
    return safeReturnUrl(returnUrl, this.settings.cookieDomains)?.href ?? this.settings.logoutRedirectUrl ?? null;
  }

  /** Cross-site POSTs are refused: the Origin must be the auth host's, or Sec-Fetch-Site same-origin. */
  private assertSameOrigin(input: LogoutInput): void {
    const sameOrigin = input.origin !== undefined ? input.origin === this.settings.authOrigin : input.secFetchSite === 'same-origin';
    if (!sameOrigin) throw new LoginError('CROSS_SITE', 'Sign-out must be confirmed on the sign-in page.');
  }
}
