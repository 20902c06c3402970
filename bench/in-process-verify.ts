/**
 * Verify's decision path built in one process without HTTP, NATS or Nest, for the in-process
 * benches: the state that `seedStreams` publishes, applied directly, and the `/verify` handler
 * wired as `VerifyRuntime` wires it (lookups refused: every bench session is known).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AssertionSigner, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { Registry } from 'prom-client';
import { AssertionIssuer } from '../services/verify/src/assertion/assertion-issuer';
import type { DecisionState } from '../services/verify/src/decision/decide-request';
import { ForwardAuth } from '../services/verify/src/forward-auth';
import { forwardAuthHandler } from '../services/verify/src/http/forward-auth.route';
import { identityHeaderNames, type ReplyOptions } from '../services/verify/src/http/reply-to-traefik';
import { SessionLookup } from '../services/verify/src/lookup/session-lookup';
import { VerifyMetrics } from '../services/verify/src/metrics/verify-metrics';
import { UsageReporter } from '../services/verify/src/reports/usage-reporter';
import { DirectoryState } from '../services/verify/src/state/directory-state';
import { dirEvent, sesEvent } from '../services/verify/src/state/events.fixture';
import { SessionState } from '../services/verify/src/state/session-state';
import { benchRule, benchSession, forwardedHeaders } from './verify-seed';

export const COOKIE_NAME = 'gate_session';

export interface InProcessVerify {
  readonly directory: DirectoryState;
  readonly sessions: SessionState;
  readonly state: DecisionState;
  readonly issuer: AssertionIssuer;
  readonly forwardAuth: ForwardAuth;
  readonly replyOptions: ReplyOptions;
  readonly handler: ReturnType<typeof forwardAuthHandler>;
  /** `Cookie` header values (`gate_session=…`) of the first `cookies` sessions. */
  readonly cookies: string[];
}

export function inProcessVerify(opts: { sessions: number; rules: number; cookies: number }): InProcessVerify {
  const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
  const directory = new DirectoryState();
  for (let i = 0; i < opts.rules; i++) directory.apply(dirEvent(i + 1, { type: 'RuleDefined', data: { rule: benchRule(i) } }));
  directory.compileIfDirty();
  const sessions = new SessionState();
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  const cookies: string[] = [];
  for (let i = 0; i < opts.sessions; i++) {
    const { token, sessionId } = issueSessionToken(keyring);
    if (i < opts.cookies) cookies.push(`${COOKIE_NAME}=${token}`);
    sessions.apply(sesEvent(i + 1, { type: 'SessionStarted', data: benchSession(i, sessionId, expiresAt) }));
  }
  const lookup = new SessionLookup({ ask: () => Promise.reject(new Error('no lookups in the benches')), learn: () => undefined, negativeTtlMs: 5000, ratePerSec: 50, burst: 100 });
  const state: DecisionState = { directory, sessions, rulesKnown: true, ready: true, stale: false, isKnownMissing: (id) => lookup.isKnownMissing(id) };
  const issuer = new AssertionIssuer(new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('a1')])), 'https://auth.example.com'));
  const intervals = { intervalMs: 5000, sampleMs: 60_000 };
  const seen = new UsageReporter(() => undefined, (sessionId, at) => ({ sessionId, at: new Date(at).toISOString() }), intervals);
  const tokensUsed = new UsageReporter(() => undefined, (tokenId, at) => ({ tokenId, at: new Date(at).toISOString() }), intervals);
  const forwardAuth = new ForwardAuth({ state, keyring, cookieName: COOKIE_NAME, lookup, issuer, seen, tokensUsed });
  const replyOptions = { authUrl: 'https://auth.example.com', names: identityHeaderNames('X-Forwarded-User') };
  const gauges = { sessions: () => ({ active: 0, tombstones: 0 }), rules: () => 0, tokens: () => 0, negativeCache: () => 0, lag: () => [], ready: () => true, stale: () => false };
  const handler = forwardAuthHandler(forwardAuth, replyOptions, new VerifyMetrics(new Registry(), gauges));
  return { directory, sessions, state, issuer, forwardAuth, replyOptions, handler, cookies };
}

/** The `/verify` request Traefik would send for a browser holding `cookie`, as node hands it over. */
export function forwardedRequest(cookie: string): IncomingMessage {
  return { url: '/verify', headers: { host: '127.0.0.1', connection: 'keep-alive', ...forwardedHeaders(cookie) } } as unknown as IncomingMessage;
}

/** A response for the handler that only remembers the status it was last answered with. */
export function recordingResponse(): { response: ServerResponse; status: () => number } {
  let status = 0;
  const response = { headersSent: false, writeHead: (code: number) => ((status = code), response), end: () => undefined, destroy: () => undefined };
  return { response: response as unknown as ServerResponse, status: () => status };
}
