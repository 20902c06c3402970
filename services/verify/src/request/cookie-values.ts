/** At most this many cookies of our name are considered (a parent-domain copy, a stale one…). */
export const MAX_SESSION_COOKIES = 4;

/**
 * The values of every cookie called `name` in a `Cookie` header, in order, at most `max` of them.
 * Its own small parser: never throws, never percent-decodes (a session token is base64url and
 * dots), strips optional double quotes, and skips anything it does not understand.
 */
export function cookieValues(header: string | undefined, name: string, max = MAX_SESSION_COOKIES): string[] {
  const found: string[] = [];
  if (typeof header !== 'string' || header.length === 0) return found;
  const length = header.length;
  let start = 0;
  while (start < length && found.length < max) {
    let end = header.indexOf(';', start);
    if (end === -1) end = length;
    let i = start;
    while (i < end && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 9)) i++;
    if (end - i > name.length && header.charCodeAt(i + name.length) === 61 && header.startsWith(name, i)) {
      let from = i + name.length + 1;
      let to = end;
      while (to > from && (header.charCodeAt(to - 1) === 32 || header.charCodeAt(to - 1) === 9)) to--;
      if (to - from >= 2 && header.charCodeAt(from) === 34 && header.charCodeAt(to - 1) === 34) {
        from++;
        to--;
      }
      if (to > from) found.push(header.slice(from, to));
    }
    start = end + 1;
  }
  return found;
}
