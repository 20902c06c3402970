import { normalizePath, type PathRejection } from './normalize-path';
import { AccessRuleError } from './rule-error';

const PROBLEMS: { readonly [R in PathRejection]: string } = {
  empty: 'is empty',
  'not-absolute': 'does not start with "/"',
  'invalid-character':
    'holds a space, control or non-ASCII character; percent-encode it (UTF-8), as in /caf%C3%A9',
  backslash: 'holds a backslash (raw or %5C)',
  nul: 'holds a NUL (raw or %00)',
  fragment: 'holds a raw "#"; percent-encode it (%23)',
  'encoded-slash': 'holds an encoded slash (%2F)',
  'invalid-percent-encoding': 'holds a "%" that does not start a UTF-8 percent-escape',
  'dot-segment-parameters': 'holds a dot segment with parameters (/..;/ or /.;/)',
};

/**
 * Validates one path prefix of a rule and returns its canonical text: normalised as a request path
 * is (decoded, slashes merged, dot segments removed), then percent-encoded again where a path
 * needs it (`%`, `?`, `#`, space, non-ASCII), so the text is printable ASCII and parsing it again
 * gives the same text. A prefix may not carry a query or fragment: the query never takes part in
 * matching. Throws `AccessRuleError` `RULES.INVALID_PATH` naming the problem.
 */
export function parseRulePath(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid(raw, 'is not a string');
  if (raw.includes('?') || raw.includes('#')) {
    throw invalid(raw, 'holds a query or fragment; the query string never takes part in matching');
  }
  const normalized = normalizePath(raw);
  if (!normalized.ok) throw invalid(raw, PROBLEMS[normalized.reason]);
  return encodeURI(normalized.path).replace(/\?/g, '%3F').replace(/#/g, '%23');
}

/**
 * The decoded form of a canonical rule path (from `parseRulePath`): what `normalizePath` would give
 * for a request to it, and so what request paths are compared with.
 */
export function decodeRulePath(text: string): string {
  const normalized = normalizePath(text);
  if (!normalized.ok) throw invalid(text, PROBLEMS[normalized.reason]);
  return normalized.path;
}

function invalid(raw: unknown, problem: string): AccessRuleError {
  const shown = typeof raw === 'string' ? JSON.stringify(raw) : typeof raw;
  return new AccessRuleError('RULES.INVALID_PATH', `path ${shown} ${problem}`, { field: 'paths' });
}
