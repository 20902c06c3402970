/** Why a forwarded path was refused as malformed (verify answers 400). */
export type PathRejection =
  | 'empty'
  | 'not-absolute'
  | 'invalid-character'
  | 'backslash'
  | 'nul'
  | 'fragment'
  | 'encoded-slash'
  | 'invalid-percent-encoding'
  | 'dot-segment-parameters';

/** The outcome of `normalizePath`: the normalised path, or why there is none. */
export type NormalizedPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: PathRejection };

const SLASH = 47;
const DOT = 46;
const PERCENT = 37;
const SEMICOLON = 59;
const QUESTION = 63;
const HASH = 35;
const BACKSLASH = 92;

const rejected = (reason: PathRejection): NormalizedPath => Object.freeze({ ok: false, reason });
const REJECTED: { readonly [R in PathRejection]: NormalizedPath } = {
  empty: rejected('empty'),
  'not-absolute': rejected('not-absolute'),
  'invalid-character': rejected('invalid-character'),
  backslash: rejected('backslash'),
  nul: rejected('nul'),
  fragment: rejected('fragment'),
  'encoded-slash': rejected('encoded-slash'),
  'invalid-percent-encoding': rejected('invalid-percent-encoding'),
  'dot-segment-parameters': rejected('dot-segment-parameters'),
};

/**
 * Normalises a forwarded path (`X-Forwarded-Uri`, query included) for matching.
 *
 * Drops the query, then refuses (a 400, never a guess) a path that does not start with `/`, holds
 * a raw character outside printable ASCII (space, control, non-ASCII), a raw `#` (no proxy forwards
 * a fragment; cutting there would judge `/public#/../admin` as `/public`), a raw or encoded
 * backslash (`%5C`), an encoded slash (`%2F`), a raw or encoded NUL, a `%` not followed by two hex
 * digits or escapes that are not UTF-8, or a dot segment with parameters (`/..;/`, `/.;`, also
 * after decoding `%2e`/`%3B`). Otherwise it percent-decodes once, merges repeated slashes and
 * removes dot segments (RFC 3986 5.2.4, never above the root), so `/public/../admin`,
 * `/public/%2e%2e/admin`, `//admin` and `/x//../admin` all give `/admin`. A trailing slash stays;
 * `%23` and `%3F` become a `#` or `?` inside their segment, never a fragment or a query.
 *
 * A path with no `%`, no `//` and no dot segment is checked in one scan and returned as it is.
 * Failures are shared frozen objects. Never throws.
 */
export function normalizePath(raw: string): NormalizedPath {
  const length = raw.length;
  if (length === 0) return REJECTED.empty;
  if (raw.charCodeAt(0) !== SLASH) return REJECTED['not-absolute'];
  let end = length;
  let slow = false;
  for (let i = 0; i < length; i++) {
    const c = raw.charCodeAt(i);
    if (c === QUESTION) {
      end = i;
      break;
    }
    if (c === HASH) return REJECTED.fragment;
    if (c === BACKSLASH) return REJECTED.backslash;
    if (c === 0) return REJECTED.nul;
    if (c < 0x21 || c > 0x7e) return REJECTED['invalid-character'];
    if (c === PERCENT) slow = true;
    else if (c === SLASH) {
      const next = raw.charCodeAt(i + 1);
      if (next === SLASH || (next === DOT && startsDotSegment(raw, i + 1))) slow = true;
    }
  }
  const path = end === length ? raw : raw.slice(0, end);
  return slow ? normalizeSlowly(path) : { ok: true, path };
}

/** True when the segment starting at `at` is `.` or `..`, bare or followed by `;` parameters. */
function startsDotSegment(raw: string, at: number): boolean {
  let after = raw.charCodeAt(at + 1);
  if (after === DOT) after = raw.charCodeAt(at + 2);
  return Number.isNaN(after) || after === SLASH || after === SEMICOLON || after === QUESTION;
}

function normalizeSlowly(path: string): NormalizedPath {
  let decoded = path;
  if (path.includes('%')) {
    for (let i = path.indexOf('%'); i !== -1; i = path.indexOf('%', i + 3)) {
      const high = hexValue(path.charCodeAt(i + 1));
      const low = hexValue(path.charCodeAt(i + 2));
      if (high < 0 || low < 0) return REJECTED['invalid-percent-encoding'];
      const byte = high * 16 + low;
      if (byte === 0x2f) return REJECTED['encoded-slash'];
      if (byte === 0x5c) return REJECTED.backslash;
      if (byte === 0) return REJECTED.nul;
    }
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return REJECTED['invalid-percent-encoding'];
    }
  }
  // Empty segments are the repeated slashes being merged; a trailing one keeps the trailing slash.
  const segments = decoded.split('/');
  const last = segments.length - 1;
  const kept: string[] = [];
  let trailingSlash = false;
  for (let i = 1; i <= last; i++) {
    const segment = segments[i];
    if (segment === '' || segment === '.' || segment === '..') {
      if (segment === '..') kept.pop();
      trailingSlash = i === last;
      continue;
    }
    if (segment.startsWith('.;') || segment.startsWith('..;')) {
      return REJECTED['dot-segment-parameters'];
    }
    kept.push(segment);
    trailingSlash = false;
  }
  if (kept.length === 0) return { ok: true, path: '/' };
  return { ok: true, path: `/${kept.join('/')}${trailingSlash ? '/' : ''}` };
}

/** 0-15 for an ASCII hex digit, -1 for anything else (including NaN past the end). */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
