import type { Answer } from '../forward-auth';
import { originalUrlOf } from '../request/forwarded-request';

/** The names of the identity headers, from `IDENTITY_HEADER_PREFIX`. */
export interface IdentityHeaderNames {
  readonly user: string;
  readonly email: string;
  readonly name: string;
  readonly groups: string;
  readonly assertion: string;
}

/** `X-Forwarded-User`, `X-Forwarded-User-Email`, `-Name`, `-Groups`, `-Assertion` for a prefix. */
export function identityHeaderNames(prefix: string): IdentityHeaderNames {
  return { user: prefix, email: `${prefix}-Email`, name: `${prefix}-Name`, groups: `${prefix}-Groups`, assertion: `${prefix}-Assertion` };
}

/** An HTTP answer for Traefik. */
export interface TraefikReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the mapping needs from config. */
export interface ReplyOptions {
  readonly authUrl: string;
  readonly names: IdentityHeaderNames;
}

/**
 * Maps an answer to HTTP, once, at the edge (FORWARD_AUTH.md): 200 (identity headers only here),
 * 302 with an absolute login URL, 401 JSON + `WWW-Authenticate`, 403 HTML for browsers and JSON
 * otherwise, 400 JSON, 503 JSON. Every answer carries `Cache-Control: no-store`.
 */
export function replyToTraefik(answer: Answer, options: ReplyOptions): TraefikReply {
  const v = answer.verdict;
  switch (v.kind) {
    case 'allow': {
      if (v.identity === null) return { status: 200, headers: { 'cache-control': 'no-store' }, body: '' };
      const n = options.names;
      const headers: Record<string, string> = { 'cache-control': 'no-store', [n.user]: v.identity.id };
      if (v.identity.email !== '') headers[n.email] = v.identity.email;
      if (v.identity.nameHeader !== '') headers[n.name] = v.identity.nameHeader;
      if (v.identity.groupsHeader !== '') headers[n.groups] = v.identity.groupsHeader;
      if (answer.assertion !== null) headers[n.assertion] = answer.assertion;
      return { status: 200, headers, body: '' };
    }
    case 'login': {
      const rd = encodeURIComponent(originalUrlOf(answer.request!));
      return { status: 302, headers: { 'cache-control': 'no-store', location: `${options.authUrl}/login?rd=${rd}` }, body: '' };
    }
    case 'unauthenticated': {
      const realm = `Bearer realm="${new URL(options.authUrl).host}"${v.reason === 'invalid-token' ? ', error="invalid_token"' : ''}`;
      const message = v.reason === 'invalid-token' ? 'the bearer token is not valid' : 'log in or send a bearer token';
      return errorReply(401, 'UNAUTHENTICATED', message, { 'www-authenticate': realm });
    }
    case 'forbidden': {
      const code = v.reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'FORBIDDEN';
      const message = v.reason === 'disabled' ? 'this account is disabled' : 'you are not allowed to open this page';
      if (answer.browser) return { status: 403, headers: { 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' }, body: forbiddenPage(message) };
      return errorReply(403, code, message);
    }
    case 'malformed':
      return malformedReply(v.reason);
    case 'unavailable':
      return errorReply(503, 'UNAVAILABLE', `verify cannot decide right now (${v.reason})`, { 'retry-after': '5' });
    case 'lookup':
      return errorReply(503, 'UNAVAILABLE', 'undecided'); // never reached: the use case resolves lookups
    default: {
      const _exhaustive: never = v;
      return _exhaustive;
    }
  }
}

/** The 400 for a malformed forwarded request, also for a request node's HTTP parser refuses (`client-errors.ts`). */
export function malformedReply(reason: string): TraefikReply {
  return errorReply(400, 'MALFORMED_FORWARDED_REQUEST', `malformed forwarded request: ${reason}`);
}

/** A JSON error answer, `{ "error": { "code", "message" } }`, with no-store like every answer. */
export function errorReply(status: number, code: string, message: string, extra: Record<string, string> = {}): TraefikReply {
  return {
    status,
    headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', ...extra },
    body: JSON.stringify({ error: { code, message } }),
  };
}

function forbiddenPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Access denied</title></head><body><h1>Access denied</h1><p>${message}.</p></body></html>`;
}
