/**
 * Where a browser may be sent after login or logout: only an absolute `https:` URL whose host is a
 * configured cookie domain or a subdomain of one (`http:` only for a loopback name such as
 * `app.gate.localhost`, the local demo's). Everything else, from a relative path to
 * `https://good.example@evil.example`, is refused, so the auth host can never be an open redirect.
 */

// Anything a browser might normalise differently from WHATWG URL is refused before parsing:
// control characters, white space, backslashes, and percent-encoded forms of them.
const SUSPICIOUS = /[\u0000-\u0020\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]|%(0[0-9a-f]|1[0-9a-f]|20|5c|7f)/i;
const MAX_LENGTH = 2048;

/**
 * True for a host that only ever means this machine: `localhost` and its subdomains (RFC 6761;
 * browsers resolve `*.localhost` to loopback and treat it as a secure context), `127.0.0.1`, `[::1]`.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '127.0.0.1' || h === '[::1]';
}

/** The cookie domain that `host` is on (itself or a subdomain), longest match first; null if none. */
export function cookieDomainFor(host: string, cookieDomains: readonly string[]): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  const matches = cookieDomains
    .map((d) => d.toLowerCase().replace(/^\./, ''))
    .filter((d) => h === d || h.endsWith(`.${d}`))
    .sort((a, b) => b.length - a.length);
  return matches[0] ?? null;
}

/**
 * Parses `candidate` and returns it as a URL only when it is safe to redirect to: absolute
 * `https:`, no user info, a host on one of `cookieDomains` (any port). Returns null otherwise.
 */
export function safeReturnUrl(candidate: unknown, cookieDomains: readonly string[]): URL | null {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > MAX_LENGTH) return null;
  if (SUSPICIOUS.test(candidate)) return null;
  // Exactly `https://` (or `http://`, checked below) followed by a host character: no `https:/x`,
  // `https:///x` or `//x` forms.
  const scheme = /^(https?):\/\/[a-z0-9[]/i.exec(candidate);
  if (!scheme) return null;
  // No user info anywhere before the path: `@` in the authority is the classic confusion.
  const authority = candidate.slice(scheme[1].length + 3).split(/[/?#]/, 1)[0];
  if (authority.includes('@') || authority.includes('%')) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return null;
  if (url.hostname === '' || url.hostname.startsWith('[')) return null;
  if (cookieDomainFor(url.hostname, cookieDomains) === null) return null;
  return url;
}

/** The URL to send the browser to: `candidate` when safe, else `fallback`. */
export function returnUrlOrDefault(candidate: unknown, cookieDomains: readonly string[], fallback: string): string {
  return safeReturnUrl(candidate, cookieDomains)?.href ?? fallback;
}
