/**
 * What verify's own code costs per allowed request, in one process without HTTP (a benchmark, not
 * a test):  npm run bench:hot-path
 *
 * The `/verify` handler, as verify installs it, is called in a hot loop with the headers that
 * `bench:verify` sends and a response object that only records the answer; then each step it
 * takes on its own. State as `bench:verify` seeds it (SESSIONS=100000, RULES=10), applied
 * in-process. Prints nanoseconds per call, and each step as a share of the whole handler, three
 * times. Node's HTTP parser, the sockets and the kernel are left out: `bench:verify` reports the
 * server's CPU per request with them, to set these numbers against.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AssertionSigner, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { Registry } from 'prom-client';
import { AssertionIssuer } from '../services/verify/src/assertion/assertion-issuer';
import { decideRequest, type DecisionState } from '../services/verify/src/decision/decide-request';
import { ForwardAuth } from '../services/verify/src/forward-auth';
import { forwardAuthHandler } from '../services/verify/src/http/forward-auth.route';
import { identityHeaderNames, replyToTraefik } from '../services/verify/src/http/reply-to-traefik';
import { SessionLookup } from '../services/verify/src/lookup/session-lookup';
import { VerifyMetrics } from '../services/verify/src/metrics/verify-metrics';
import { UsageReporter } from '../services/verify/src/reports/usage-reporter';
import { cookieValues } from '../services/verify/src/request/cookie-values';
import { parseForwardedRequest } from '../services/verify/src/request/forwarded-request';
import { DirectoryState } from '../services/verify/src/state/directory-state';
import { dirEvent, sesEvent } from '../services/verify/src/state/events.fixture';
import { SessionState } from '../services/verify/src/state/session-state';
import { forwardedHeaders, print } from './verify-harness';
import { benchRule, benchSession } from './verify-seed';

const CALLS = 1_000_000;
const COOKIE_NAME = 'gate_session';

/** The state `seedStreams` publishes, applied directly; returns session 0's cookie. */
function seededState(directory: DirectoryState, sessions: SessionState, keyring: ReturnType<typeof parseKeyring>): string {
  const rules = Number(process.env.RULES ?? 10);
  for (let i = 0; i < rules; i++) directory.apply(dirEvent(i + 1, { type: 'RuleDefined', data: { rule: benchRule(i) } }));
  directory.compileIfDirty();
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  let cookie = '';
  for (let i = 0, n = Number(process.env.SESSIONS ?? 100_000); i < n; i++) {
    const { token, sessionId } = issueSessionToken(keyring);
    if (i === 0) cookie = `${COOKIE_NAME}=${token}`;
    sessions.apply(sesEvent(i + 1, { type: 'SessionStarted', data: benchSession(i, sessionId, expiresAt) }));
  }
  return cookie;
}

/** Nanoseconds per call of `step`, after a warm-up. */
function nsPerCall(step: () => unknown): number {
  for (let i = 0; i < CALLS / 10; i++) step();
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) step();
  return Number(process.hrtime.bigint() - started) / CALLS;
}

function main(): void {
  const keyring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
  const directory = new DirectoryState();
  const sessions = new SessionState();
  const cookie = seededState(directory, sessions, keyring);
  const lookup = new SessionLookup({ ask: () => Promise.reject(new Error('no lookups in this bench')), learn: () => undefined, negativeTtlMs: 5000, ratePerSec: 50, burst: 100 });
  const state: DecisionState = { directory, sessions, ready: true, stale: false, isKnownMissing: (id) => lookup.isKnownMissing(id) };
  const issuer = new AssertionIssuer(new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('a1')])), 'https://auth.example.com'));
  const reporter = () => new UsageReporter(() => undefined, (key) => key, { intervalMs: 10_000, sampleMs: 60_000 });
  const forwardAuth = new ForwardAuth({ state, keyring, cookieName: COOKIE_NAME, lookup, issuer, seen: reporter(), tokensUsed: reporter() });
  const options = { authUrl: 'https://auth.example.com', names: identityHeaderNames('X-Forwarded-User') };
  const gauges = { sessions: () => ({ active: 0, tombstones: 0 }), rules: () => 0, tokens: () => 0, negativeCache: () => 0, lag: () => [], ready: () => true, stale: () => false };
  const handler = forwardAuthHandler(forwardAuth, options, new VerifyMetrics(new Registry(), gauges));

  const headers = { host: '127.0.0.1', connection: 'keep-alive', ...forwardedHeaders(cookie) };
  const request = { url: '/verify', headers } as unknown as IncomingMessage;
  let status = 0;
  const response = { headersSent: false, writeHead: (code: number) => ((status = code), response), end: () => undefined, destroy: () => undefined } as unknown as ServerResponse;
  handler(request, response);
  const answer = forwardAuth.answer(headers);
  if (status !== 200 || answer instanceof Promise || answer.verdict.kind !== 'allow') throw new Error(`the bench request was not allowed (${status})`);
  const forwarded = answer.request!;
  const credentials = { sessionIds: [answer.verdict.credential!], bearer: null, bearerHash: null, browser: true };

  const steps: [string, () => unknown][] = [
    ['the /verify handler', () => handler(request, response)],
    ['ForwardAuth.answer', () => forwardAuth.answer(headers)],
    ['  parseForwardedRequest', () => parseForwardedRequest(headers)],
    ['  cookieValues', () => cookieValues(headers.cookie, COOKIE_NAME)],
    ['  decideRequest', () => decideRequest(state, forwarded, credentials, Date.now())],
    ['replyToTraefik', () => replyToTraefik(answer, options)],
    ['performance.now', () => performance.now()],
  ];
  print(`${sessions.activeCount} sessions, ${directory.rules.size} rules; ${CALLS} calls per step`);
  for (let round = 1; round <= 3; round++) {
    const costs = steps.map(([, step]) => nsPerCall(step));
    print(`round ${round}: ${steps.map(([name], i) => `${name.trim()} ${costs[i].toFixed(0)} ns (${((100 * costs[i]) / costs[0]).toFixed(0)} %)`).join(', ')}`);
  }
}

main();
