import { isIPv6 } from 'node:net';

const DOT = 46;
const COLON = 58;
const HYPHEN = 45;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = ']';
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * Normalises a request host (`X-Forwarded-Host`) for matching: lower-cases it, drops a `:port`
 * (also after an IPv6 literal, `[::1]:8080`) and one trailing dot. Returns null unless what is left
 * is a DNS host name, a dotted-quad IPv4 address or a bracketed IPv6 literal, so NUL, spaces,
 * userinfo (`user@host`), a path, `*`, an empty label or non-ASCII text all give null.
 *
 * Host names are labels of letters, digits, `-` (not at either end of a label) and `_`, at most
 * 63 characters each and 253 in all. A name whose last label is all digits must be a dotted quad
 * (`10.0.0.1`; no `127.1`, no leading zeros), since no top-level domain is numeric. IPv6 literals
 * come back in canonical form (`[0:0::1]` gives `[::1]`); zone ids are refused. Never throws.
 */
export function normalizeHost(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return null;
  if (raw.charCodeAt(0) === OPEN_BRACKET) return normalizeIPv6(raw);
  let end = raw.length;
  const colon = raw.indexOf(':');
  if (colon !== -1) {
    if (!isPort(raw, colon + 1)) return null;
    end = colon;
  }
  if (end > 0 && raw.charCodeAt(end - 1) === DOT) end--;
  return canonicalName(raw, end);
}

/** True when a normalised host is an IP literal (dotted quad or bracketed IPv6) rather than a name. */
export function isIpLiteral(host: string): boolean {
  if (host.charCodeAt(0) === OPEN_BRACKET) return true;
  const last = host.charCodeAt(host.length - 1);
  return last >= 48 && last <= 57;
}

/** Checks `raw[0, end)` as a host name or IPv4 address; returns it lower-cased or null. */
function canonicalName(raw: string, end: number): string | null {
  if (end === 0 || end > MAX_NAME_LENGTH) return null;
  let labelStart = 0;
  let numeric = true;
  let upper = false;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? DOT : raw.charCodeAt(i);
    if (c === DOT) {
      const length = i - labelStart;
      if (length === 0 || length > MAX_LABEL_LENGTH) return null;
      if (raw.charCodeAt(labelStart) === HYPHEN || raw.charCodeAt(i - 1) === HYPHEN) return null;
      if (i < end) {
        labelStart = i + 1;
        numeric = true;
      }
    } else if (c >= 48 && c <= 57) {
      // a digit keeps the label numeric
    } else if ((c >= 97 && c <= 122) || c === HYPHEN || c === 95) {
      numeric = false;
    } else if (c >= 65 && c <= 90) {
      numeric = false;
      upper = true;
    } else {
      return null;
    }
  }
  if (numeric && !isDottedQuad(raw, end)) return null;
  const name = end === raw.length ? raw : raw.slice(0, end);
  return upper ? name.toLowerCase() : name;
}

/** Four decimal octets 0-255 without leading zeros, as in `10.0.0.1`. */
function isDottedQuad(raw: string, end: number): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? DOT : raw.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || value > 255) return false;
      octets++;
      value = 0;
      digits = 0;
    } else {
      if (c < 48 || c > 57 || (digits === 1 && value === 0)) return false;
      value = value * 10 + (c - 48);
      digits++;
    }
  }
  return octets === 4;
}

/** `[v6]` or `[v6]:port`, checked by Node and rewritten in the canonical WHATWG form. */
function normalizeIPv6(raw: string): string | null {
  const close = raw.indexOf(CLOSE_BRACKET);
  if (close === -1) return null;
  if (close !== raw.length - 1 && (raw.charCodeAt(close + 1) !== COLON || !isPort(raw, close + 2))) {
    return null;
  }
  const address = raw.slice(1, close);
  if (address.includes('%') || !isIPv6(address)) return null;
  return new URL(`http://[${address}]/`).hostname;
}

/** RFC 3986 `port = *DIGIT`, here at most 65535: `raw[from..]` is empty or decimal digits. */
function isPort(raw: string, from: number): boolean {
  if (raw.length - from > 5) return false;
  let value = 0;
  for (let i = from; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    value = value * 10 + (c - 48);
  }
  return value <= 65535;
}
