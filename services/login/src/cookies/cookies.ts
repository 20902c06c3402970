/** The login-state cookie: binds logins in progress to one browser, on the auth host only. */
export const LOGIN_STATE_COOKIE = '__Host-gate_login';

/**
 * The session cookie: HttpOnly, Secure, SameSite=Lax, on the whole cookie domain, for the session's
 * lifetime. The value is a session token (`kid.secret.mac`, cookie-safe characters only).
 */
export function sessionCookie(name: string, token: string, domain: string, maxAgeMs: number): string {
  return `${name}=${token}; Domain=${domain}; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}; HttpOnly; Secure; SameSite=Lax`;
}

/** Clears the session cookie on one domain (one header per domain it may have been set on). */
export function clearSessionCookie(name: string, domain: string): string {
  return `${name}=; Domain=${domain}; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

/** The `__Host-` login-state cookie: no Domain, Path=/, Secure, for the login state's TTL. */
export function loginStateCookie(browserId: string, maxAgeMs: number): string {
  return `${LOGIN_STATE_COOKIE}=${browserId}; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}; HttpOnly; Secure; SameSite=Lax`;
}

/** Removes the login-state cookie once no login is in progress in this browser. */
export function clearLoginStateCookie(): string {
  return `${LOGIN_STATE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}
