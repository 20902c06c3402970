import { StartSessionRequest } from '@gate/events';
import { isDatabaseUnavailable } from '@gate/eventstore';
import { issueSessionToken, Keyring } from '@gate/session-token';
import { clearLoginStateCookie, sessionCookie } from '../cookies/cookies';
import { HttpOutcome, redirect } from '../http/outcome';
import { LoginState } from '../login-state/login-state.store';
import { Identity } from '../providers/oidc-client';
import { ProviderRegistry } from '../providers/provider-registry';
import { cookieDomainFor } from '../redirect/return-url';
import { LoginError } from './login-errors';

/** Starts a session in the sessions service (NATS request/reply in the service). */
export interface SessionStarter {
  start(request: StartSessionRequest): Promise<unknown>;
}

/** Records the outcome of every callback: the audit trail and the metrics. */
export interface LoginOutcomes {
  succeeded(provider: string, userId: string, sessionId: string, clientIp: string | null): Promise<void>;
  failed(provider: string | null, error: LoginError, clientIp: string | null): Promise<void>;
}

/** What completing a login needs from the request. */
export interface CompleteLoginInput {
  /** The raw query string of the callback (after `?`), exactly as the provider sent it. */
  rawQuery: string;
  state: string | undefined;
  browserId: string | undefined;
  clientIp: string | null;
  userAgent: string | null;
}

/** The settings completing a login depends on. */
export interface CompleteLoginSettings {
  callbackUrl: string;
  cookieDomains: readonly string[];
  keyring: Keyring;
  sessionCookieName: string;
  sessionLifetimeMs: number;
}

/**
 * `GET /callback`: consumes this browser's login state for `state` (once), has the provider's
 * answer validated by openid-client, asks sessions to start a session under a new id, sets the
 * session cookie on the cookie domain of the return URL and redirects there. Any failure is a
 * LoginError (or, with login's database unreachable, that database error): no session, no cookie.
 */
export class CompleteLogin {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly states: { take(state: string, browserId: string): Promise<{ state: LoginState; remaining: number } | null> },
    private readonly sessions: SessionStarter,
    private readonly outcomes: LoginOutcomes,
    private readonly settings: CompleteLoginSettings,
  ) {}

  async run(input: CompleteLoginInput): Promise<HttpOutcome> {
    let state: LoginState | null = null;
    try {
      if (!input.state || !input.browserId) throw new LoginError('INVALID_STATE', 'This sign-in link is not valid in this browser. Please start again.');
      const taken = await this.states.take(input.state, input.browserId);
      if (!taken) throw new LoginError('INVALID_STATE', 'This sign-in has expired or was already used. Please start again.');
      state = taken.state;
      const outcome = await this.finish(taken.state, taken.remaining, input);
      return outcome;
    } catch (err) {
      // Login's database down is no failed sign-in: the edge answers 503 and the browser may retry
      // this very callback (its state was not consumed); the attempt could not be recorded anyway.
      if (isDatabaseUnavailable(err)) throw err;
      const provider = state?.provider ?? null;
      const error = err instanceof LoginError ? err : new LoginError('VALIDATION_FAILED', 'The sign-in could not be completed.', provider);
      // The login state is spent either way; starting again makes a new one for the same login.
      if (state) error.startAgainPath = `/login?${new URLSearchParams({ provider: state.provider, rd: state.returnUrl })}`;
      await this.outcomes.failed(error.provider ?? provider, error, input.clientIp);
      throw error;
    }
  }

  private async finish(state: LoginState, remaining: number, input: CompleteLoginInput): Promise<HttpOutcome> {
    const config = this.registry.config(state.provider);
    const client = this.registry.client(state.provider);
    const identity = await client.completeLogin(new URL(`${this.settings.callbackUrl}?${input.rawQuery}`), state);
    const userId = this.userIdOf(identity, config.allowUnverifiedEmail, state.provider);
    const issued = issueSessionToken(this.settings.keyring);
    try {
      await this.sessions.start({
        sessionId: issued.sessionId,
        userId,
        email: userId,
        name: identity.name ?? userId,
        groups: identity.groups,
        provider: state.provider,
        clientIp: input.clientIp,
        userAgent: input.userAgent?.slice(0, 512) ?? null,
      });
    } catch {
      throw new LoginError('SESSIONS_UNAVAILABLE', 'Signing in is not possible right now. Please try again in a minute.', state.provider);
    }
    await this.outcomes.succeeded(state.provider, userId, issued.sessionId, input.clientIp);
    const domain = cookieDomainFor(new URL(state.returnUrl).hostname, this.settings.cookieDomains) ?? this.settings.cookieDomains[0];
    const cookies = [sessionCookie(this.settings.sessionCookieName, issued.token, domain, this.settings.sessionLifetimeMs)];
    // Other tabs of this browser may still be logging in: keep their cookie until the last one.
    if (remaining === 0) cookies.push(clearLoginStateCookie());
    return redirect(state.returnUrl, 302, { 'set-cookie': cookies });
  }

  /** The canonical user id: the provider-verified e-mail address, lower-cased. */
  private userIdOf(identity: Identity, allowUnverified: boolean, provider: string): string {
    if (!identity.email) throw new LoginError('EMAIL_UNVERIFIED', 'The provider did not share an e-mail address.', provider);
    if (!identity.emailVerified && !allowUnverified) throw new LoginError('EMAIL_UNVERIFIED', 'Your e-mail address is not verified at the provider.', provider);
    const email = identity.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new LoginError('VALIDATION_FAILED', 'The provider gave an e-mail address that is not valid.', provider);
    return email;
  }
}
