/** At most this many distinct values of the session cookie are read from one request. */
export const MAX_SESSION_COOKIES = 4;
/** A `Cookie` header longer than this yields no values at all (verify answers 431 before it gets here). */
export const MAX_COOKIE_HEADER_LENGTH = 16_384;

const NONE: readonly string[] = Object.freeze([]);

/**
 * The values of every cookie called `name` in a `Cookie` header, the one reader that verify, login
 * and sessions share. A browser may send several (a parent-domain copy, a stale one): they come
 * in header order, duplicates dropped, at most MAX_SESSION_COOKIES of them. White space around a
 * cookie and optional double quotes around its value are stripped; an empty value is skipped;
 * nothing is percent-decoded (a session token is base64url and dots). A header over
 * MAX_COOKIE_HEADER_LENGTH yields none. Several `Cookie` headers (an array) are read as one joined
 * with `; `. Never throws.
 *
 * It runs on verify's hot path for every request, so it scans the header in place: nothing is
 * allocated but the result and the values it returns (and no result at all when there is none).
 */
export function sessionCookieValues(header: string | readonly string[] | undefined, name: string): readonly string[] {
  if (typeof header !== 'string') {
    if (!Array.isArray(header)) return NONE;
    header = header.join('; ');
  }
  const length = header.length;
  if (length === 0 || length > MAX_COOKIE_HEADER_LENGTH) return NONE;
  const nameLength = name.length;
  let found: string[] | null = null;
  let start = 0;
  while (start < length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = length;
    let i = start;
    while (i < end && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 9)) i++;
    if (end - i > nameLength && header.charCodeAt(i + nameLength) === 61 && header.startsWith(name, i)) {
      let from = i + nameLength + 1;
      let to = end;
      while (to > from && (header.charCodeAt(to - 1) === 32 || header.charCodeAt(to - 1) === 9)) to--;
      if (to - from >= 2 && header.charCodeAt(from) === 34 && header.charCodeAt(to - 1) === 34) {
        from++;
        to--;
      }
      if (to > from && !alreadyFound(found, header, from, to)) {
        (found ??= []).push(header.slice(from, to));
        if (found.length === MAX_SESSION_COOKIES) break;
      }
    }
    start = end + 1;
  }
  return found ?? NONE;
}

/** Whether `header[from, to)` is one of `found`, compared in place. */
function alreadyFound(found: readonly string[] | null, header: string, from: number, to: number): boolean {
  if (found === null) return false;
  for (const value of found) if (value.length === to - from && header.startsWith(value, from)) return true;
  return false;
}
