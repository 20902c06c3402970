/** Why a login or logout was refused: stable codes, mapped to an HTTP status once, at the edge. */
export const LOGIN_ERRORS = {
  /** No login state for this browser and state (expired, replayed, forged, or cookie missing). */
  INVALID_STATE: { code: 'LOGIN.INVALID_STATE', status: 400 },
  /** The provider answered the authorization request with `error=`. */
  IDP_ERROR: { code: 'LOGIN.IDP_ERROR', status: 400 },
  /** The authorization response, token response or id_token did not validate. */
  VALIDATION_FAILED: { code: 'LOGIN.VALIDATION_FAILED', status: 400 },
  /** The provider did not vouch for the e-mail address (`email_verified` not true) or gave none. */
  EMAIL_UNVERIFIED: { code: 'LOGIN.EMAIL_UNVERIFIED', status: 400 },
  UNKNOWN_PROVIDER: { code: 'LOGIN.UNKNOWN_PROVIDER', status: 404 },
  /** Discovery of the provider has not succeeded yet (it is retried in the background). */
  PROVIDER_UNAVAILABLE: { code: 'LOGIN.PROVIDER_UNAVAILABLE', status: 503 },
  /**
   * A provider could not be reached during a login (connection refused or reset, DNS) or answered
   * with something that is not an OAuth answer (5xx, not JSON). The user may start again.
   */
  PROVIDER_UNREACHABLE: { code: 'LOGIN.PROVIDER_UNREACHABLE', status: 502 },
  /** A provider did not answer within OIDC_TIMEOUT during a login. The user may start again. */
  PROVIDER_TIMEOUT: { code: 'LOGIN.PROVIDER_TIMEOUT', status: 504 },
  /** The sessions service did not start the session in time. */
  SESSIONS_UNAVAILABLE: { code: 'LOGIN.SESSIONS_UNAVAILABLE', status: 503 },
  RATE_LIMITED: { code: 'LOGIN.RATE_LIMITED', status: 429 },
  /** A state-changing request that did not come from the auth host's own pages. */
  CROSS_SITE: { code: 'LOGOUT.CROSS_SITE', status: 403 },
} as const;

export type LoginErrorKind = keyof typeof LOGIN_ERRORS;

/** A refused login step; `kind` picks its code and status, `message` is safe to show a user. */
export class LoginError extends Error {
  readonly code: string;
  readonly status: number;
  /** Where "Start again" goes: the same provider and return URL when the login was known, else `/login`. */
  startAgainPath = '/login';

  constructor(
    readonly kind: LoginErrorKind,
    message: string,
    /** The provider the attempt was for, when known (metrics and the audit trail). */
    readonly provider: string | null = null,
    /** For RATE_LIMITED and PROVIDER_UNAVAILABLE: when to try again (`Retry-After`). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'LoginError';
    this.code = LOGIN_ERRORS[kind].code;
    this.status = LOGIN_ERRORS[kind].status;
  }
}
