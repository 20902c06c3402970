import { isIpLiteral, normalizeHost } from './normalize-host';
import { AccessRuleError } from './rule-error';

/**
 * A rule's host pattern: one exact host (a name or an IP literal), or every subdomain of `suffix`
 * at any depth (`*.example.com` has suffix `example.com`). Both are normalised as `normalizeHost`
 * normalises request hosts.
 */
export type HostPattern =
  | { readonly kind: 'exact'; readonly host: string }
  | { readonly kind: 'wildcard'; readonly suffix: string };

/**
 * Parses a rule's host pattern: an exact host name or IP literal, or `*.` followed by a host name
 * of at least two labels. Matching is case-insensitive, so the pattern is lower-cased; a port and
 * one trailing dot are dropped, as for request hosts.
 *
 * Refused with `RULES.INVALID_HOST_PATTERN`: an empty pattern, `*` alone, a `*` anywhere but a
 * leading `*.` (`a.*.com`, `*example.com`, `**.example.com`), a wildcard over one label (`*.com`,
 * `*.localhost`: too broad to be meant, and we do not consult the public suffix list, so
 * `*.co.uk` is accepted), a wildcard over an IP address, and anything `normalizeHost` refuses
 * (spaces, NUL, userinfo, a scheme or path, non-ASCII: write IDNs in their `xn--` form).
 */
export function parseHostPattern(raw: string): HostPattern {
  if (typeof raw !== 'string' || raw.length === 0) throw invalid(raw, 'is empty');
  const star = raw.indexOf('*');
  if (star === -1) {
    const host = normalizeHost(raw);
    if (host === null) throw invalid(raw, whyNotAHost(raw));
    return Object.freeze({ kind: 'exact', host });
  }
  if (raw === '*' || raw === '*.') throw invalid(raw, 'would match every host; name the hosts');
  if (star !== 0 || raw.charCodeAt(1) !== 46 || raw.indexOf('*', 1) !== -1) {
    throw invalid(raw, 'may use "*" only as a whole first label, as in *.example.com');
  }
  const suffix = normalizeHost(raw.slice(2));
  if (suffix === null) throw invalid(raw, whyNotAHost(raw.slice(2)));
  if (isIpLiteral(suffix)) throw invalid(raw, 'puts a wildcard over an IP address');
  if (!suffix.includes('.')) {
    throw invalid(raw, 'puts a wildcard over a single label; name at least two (*.example.com)');
  }
  return Object.freeze({ kind: 'wildcard', suffix });
}

/** The canonical text of a pattern, `example.com` or `*.example.com`, which parses to the same pattern. */
export function formatHostPattern(pattern: HostPattern): string {
  return pattern.kind === 'exact' ? pattern.host : `*.${pattern.suffix}`;
}

/**
 * True when a normalised request host falls under the pattern: the same host for an exact
 * pattern; for `*.example.com`, a host that ends in `.example.com` with at least one label before
 * it (`a.example.com`, `a.b.example.com`), never `example.com` itself, `evil-example.com` or
 * `example.com.evil.net`. The reference semantics; the compiled index answers the same faster.
 */
export function hostMatches(pattern: HostPattern, host: string): boolean {
  if (pattern.kind === 'exact') return host === pattern.host;
  const { suffix } = pattern;
  return (
    host.length > suffix.length + 1 &&
    host.endsWith(suffix) &&
    host.charCodeAt(host.length - suffix.length - 1) === 46
  );
}

function invalid(raw: unknown, problem: string): AccessRuleError {
  const text = typeof raw === 'string' ? raw : String(raw);
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
  return new AccessRuleError('RULES.INVALID_HOST_PATTERN', `host pattern ${shown} ${problem}`, {
    field: 'host',
  });
}

function whyNotAHost(raw: string): string {
  if (raw.includes('\0')) return 'contains a NUL character';
  if (/\s/.test(raw)) return 'contains whitespace';
  if (raw.includes('://')) return 'is a URL; give the host only';
  if (raw.includes('@')) return 'contains userinfo ("@"); give the host only';
  if (raw.includes('/')) return 'contains a path; give the host only';
  if (/[^\x21-\x7e]/.test(raw)) return 'is not ASCII; write an international name in its xn-- form';
  return 'is not a valid host name or IP literal';
}
