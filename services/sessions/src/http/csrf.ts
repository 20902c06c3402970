import { timingSafeEqual } from 'node:crypto';
import { Keyring, mac } from '@gate/session-token';
import { SessionsError } from '../session/session-error';

/** The form field the page's forms carry their CSRF token in. */
export const CSRF_FIELD = 'csrf';

/**
 * The CSRF token of a caller: an HMAC with the current session key over what identifies the
 * caller (their session id, or their principal when they came with an assertion). Another site
 * cannot compute it, and it needs no server-side state.
 */
export function csrfToken(keyring: Keyring, subject: string): string {
  return mac(keyring.current.key, `csrf:${subject}`);
}

/** Throws SESSIONS.CSRF unless `given` is the token of `subject` under one of the ring's keys. */
export function checkCsrfToken(keyring: Keyring, subject: string, given: unknown): void {
  if (typeof given === 'string' && given.length === 43) {
    for (const { key } of keyring.byKid.values()) {
      if (timingSafeEqual(Buffer.from(given), Buffer.from(mac(key, `csrf:${subject}`)))) return;
    }
  }
  throw new SessionsError('SESSIONS.CSRF', 'missing or wrong CSRF token');
}

/**
 * Throws SESSIONS.CSRF for a state-changing request that a browser says came from another site.
 * `Sec-Fetch-Site` (set by the browser, never by a page) decides when present: only
 * `same-origin` passes. Without it, an `Origin` must name the request's host (`null` does not).
 * Requests with neither (old browsers, curl) rely on the CSRF token or on JSON content.
 */
export function checkSameOrigin(headers: Record<string, string | string[] | undefined>): void {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw new SessionsError('SESSIONS.CSRF', 'cross-site request refused');
  }
  const origin = headers['origin'];
  if (origin === undefined) return;
  let originHost: string | null = null;
  try {
    originHost = typeof origin === 'string' && origin !== 'null' ? new URL(origin).host.toLowerCase() : null;
  } catch {
    originHost = null;
  }
  const host = typeof headers['host'] === 'string' ? headers['host'].toLowerCase() : undefined;
  if (originHost === null || originHost !== host) throw new SessionsError('SESSIONS.CSRF', 'cross-origin request refused');
}
