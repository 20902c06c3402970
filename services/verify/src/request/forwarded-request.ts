import { normalizeHost, normalizePath } from '@gate/access-rules';
import type { IncomingHttpHeaders } from 'node:http';

/** A forwarded request as verify decides it: only Traefik's own `X-Forwarded-*` headers are read. */
export interface ForwardedRequest {
  readonly method: string;
  readonly proto: 'http' | 'https' | 'ws' | 'wss';
  /** As forwarded (port kept), for the login redirect's return URL. */
  readonly rawHost: string;
  /** Normalised for matching: lower case, no port, no trailing dot. */
  readonly host: string;
  /** Path and query as forwarded, for the return URL. */
  readonly uri: string;
  /** Normalised path for matching (query dropped). */
  readonly path: string;
}

/** Why a forwarded request is malformed (verify answers 400 with this as the reason). */
export type MalformedReason =
  | 'missing-method'
  | 'missing-proto'
  | 'missing-host'
  | 'missing-uri'
  | 'repeated-header'
  | 'invalid-method'
  | 'invalid-proto'
  | 'invalid-host'
  | `invalid-uri:${string}`;

/** The outcome of reading the forwarded headers. */
export type ParsedForwarded = { readonly ok: true; readonly request: ForwardedRequest } | { readonly ok: false; readonly reason: MalformedReason };

const PROTOS = new Set(['http', 'https', 'ws', 'wss']);
const fail = (reason: MalformedReason): ParsedForwarded => ({ ok: false, reason });

/**
 * Reads `X-Forwarded-Method`, `-Proto`, `-Host` and `-Uri` (Node lower-cases header names and
 * joins a repeated header with ", ", so a repeated header shows up as a list). Refuses, as
 * FORWARD_AUTH.md lists: a missing, empty, repeated or comma-separated value; a method that is not
 * 1-20 upper-case letters; a proto other than http, https, ws, wss; a host that is not a host name
 * or IP; a URI that does not start with `/` or whose path `normalizePath` refuses. `Forwarded`,
 * `X-Forwarded-Prefix`, `X-Original-*` and underscore or dot spellings are never looked at.
 */
export function parseForwardedRequest(headers: IncomingHttpHeaders): ParsedForwarded {
  const method = headers['x-forwarded-method'];
  const proto = headers['x-forwarded-proto'];
  const rawHost = headers['x-forwarded-host'];
  const uri = headers['x-forwarded-uri'];
  if (typeof method !== 'string' || method === '') return fail('missing-method');
  if (typeof proto !== 'string' || proto === '') return fail('missing-proto');
  if (typeof rawHost !== 'string' || rawHost === '') return fail('missing-host');
  if (typeof uri !== 'string' || uri === '') return fail('missing-uri');
  if (method.includes(',') || proto.includes(',') || rawHost.includes(',') || uri.includes(', ')) return fail('repeated-header');
  if (!isMethod(method)) return fail('invalid-method');
  if (!PROTOS.has(proto)) return fail('invalid-proto');
  const host = normalizeHost(rawHost);
  if (host === null) return fail('invalid-host');
  const path = normalizePath(uri);
  if (!path.ok) return fail(`invalid-uri:${path.reason}`);
  return { ok: true, request: { method, proto: proto as ForwardedRequest['proto'], rawHost, host, uri, path: path.path } };
}

/** 1-20 upper-case ASCII letters. */
function isMethod(method: string): boolean {
  if (method.length > 20) return false;
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** The URL the visitor asked for, to come back to after login. */
export function originalUrlOf(request: ForwardedRequest): string {
  const scheme = request.proto === 'wss' ? 'https' : request.proto === 'ws' ? 'http' : request.proto;
  return `${scheme}://${request.rawHost}${request.uri}`;
}
