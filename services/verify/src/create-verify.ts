import { DIRECTORY_TOKENS_USED, SESSIONS_PATTERNS, type LookupSessionReply } from '@gate/events';
import { AssertionSigner } from '@gate/identity-assertion';
import type { RawHandler } from '@gate/service-app';
import type { Registry } from 'prom-client';
import { AssertionIssuer } from './assertion/assertion-issuer';
import type { VerifySettings } from './config';
import type { DecisionState, StreamStatus } from './decision/decide-request';
import { ForwardAuth } from './forward-auth';
import { forwardAuthHandler } from './http/forward-auth.route';
import { identityHeaderNames, type ReplyOptions } from './http/reply-to-traefik';
import { SessionLookup } from './lookup/session-lookup';
import { VerifyMetrics } from './metrics/verify-metrics';
import { UsageReporter } from './reports/usage-reporter';
import { seenAccepts } from './request/browser-navigation';
import { DirectoryState } from './state/directory-state';
import { assertionEvictions } from './state/identity';
import { SessionState } from './state/session-state';
import { sweepSessions } from './state/sweep-sessions';
import type { FollowerHooks } from './stream/stream-follower';

/** What feeds verify's state and says how far it can be trusted (`StreamFollower` in the service). */
export interface StateFeed extends StreamStatus {
  start(): void;
  stop(): Promise<void>;
  /** Per stream: announced head − applied position. */
  lag(): { stream: string; lag: number }[];
}

/** Builds the feed for the state verify holds (`followStreams(link)` in the service). */
export type Feed = (target: {
  directory: DirectoryState;
  sessions: SessionState;
  staleAfterMs: number;
  hooks: FollowerHooks;
  now: () => number;
}) => StateFeed;

/** Where verify writes its log lines (Nest's `Logger` in the service). */
export interface VerifyLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What verify needs from outside: the event feed, the bus, a metrics registry, a clock. */
export interface VerifyPorts {
  readonly feed: Feed;
  /** One request/reply over the bus (a lookup of an unknown session id); rejects on timeout. */
  readonly request: (pattern: string, data: unknown, timeoutMs: number) => Promise<unknown>;
  /** One fire-and-forget message (the batched usage reports). */
  readonly emit: (pattern: string, data: unknown) => void;
  readonly registry: Registry;
  /** Epoch milliseconds; `Date.now` unless given. */
  readonly now?: () => number;
  readonly log?: VerifyLog;
}

/** Verify, wired: its state, the `/verify` handler and what the host app installs and runs. */
export interface Verify {
  readonly directory: DirectoryState;
  readonly sessions: SessionState;
  readonly follower: StateFeed;
  /** What a decision reads: the state, the feed's status and the lookups' negative cache. */
  readonly state: DecisionState;
  readonly issuer: AssertionIssuer;
  readonly forwardAuth: ForwardAuth;
  /** How answers become HTTP (login URL, identity header names). */
  readonly replyOptions: ReplyOptions;
  /** The `/verify` route: decides, answers, times and counts every request, fails closed. */
  readonly handler: RawHandler;
  /** Ready and fresh: what `/readyz` reports. */
  isReady(): boolean;
  /** The JWKS document for `/.well-known/jwks.json`. */
  jwks(): unknown;
  /** Starts following the streams, the usage reports and the minute's sweep. */
  start(): void;
  /** Sends the last usage reports and stops following (before the bus connection drains). */
  stop(): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;
const SILENT: VerifyLog = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Builds verify without any framework: the in-memory state and the feed that fills it, lookups,
 * assertion signing, usage reports, metrics and the `/verify` handler. The Nest module and the
 * in-process benches both start verify through here, so they decide with the same wiring.
 */
export function createVerify(settings: VerifySettings, ports: VerifyPorts): Verify {
  const now = ports.now ?? Date.now;
  const log = ports.log ?? SILENT;
  const directory = new DirectoryState();
  const sessions = new SessionState();
  // The gauges read what is declared below only when scraped.
  const metrics = new VerifyMetrics(ports.registry, {
    sessions: () => ({ active: sessions.activeCount, tombstones: sessions.tombstoneCount }),
    rules: () => directory.rules.size,
    tokens: () => directory.tokensByHash.size,
    negativeCache: () => lookup.negativeCacheSize,
    lag: () => follower.lag(),
    ready: () => follower.ready,
    stale: () => follower.stale,
    caches: () => ({
      'verified-cookies': forwardAuth.verifiedCookies,
      'accept-headers': seenAccepts,
      'lookup-negative': lookup.negativeCache,
      'seen-sampling': seen.lastReported,
      'token-use-sampling': tokensUsed.lastReported,
      assertions: { evictions: assertionEvictions },
      'group-sets': sessions.groupSets.sets,
    }),
  });
  const held = () => `${sessions.activeCount} sessions, ${directory.rules.size} rules`;
  const hooks = followerHooks(metrics, log, now, held);
  const follower = ports.feed({ directory, sessions, staleAfterMs: settings.STREAM_STALE_AFTER, now, hooks });
  const lookup = new SessionLookup({
    ask: (sessionId) => ports.request(SESSIONS_PATTERNS.lookup, { sessionId }, settings.LOOKUP_TIMEOUT) as Promise<LookupSessionReply>,
    learn: (view) => sessions.applyLookup(view),
    negativeTtlMs: settings.LOOKUP_NEGATIVE_TTL,
    ratePerSec: settings.LOOKUP_RATE,
    burst: settings.LOOKUP_BURST,
    now,
    onResult: (result) => metrics.lookups.inc({ result }),
  });
  const intervals = { intervalMs: settings.REPORT_INTERVAL, sampleMs: settings.SEEN_SAMPLE, now };
  const seen = new UsageReporter(
    (batch) => ports.emit(SESSIONS_PATTERNS.seen, { seen: batch }),
    (sessionId, at) => ({ sessionId, at: new Date(at).toISOString() }),
    intervals,
  );
  const tokensUsed = new UsageReporter(
    (uses) => ports.emit(DIRECTORY_TOKENS_USED, { uses }),
    (tokenId, at) => ({ tokenId, at: new Date(at).toISOString() }),
    intervals,
  );
  const issuer = new AssertionIssuer(new AssertionSigner(settings.ASSERTION_KEYS, settings.AUTH_URL));
  const state: DecisionState = { directory, sessions, stream: follower, missing: lookup };
  const keyring = settings.SESSION_KEYS;
  const forwardAuth = new ForwardAuth({ state, keyring, cookieName: settings.SESSION_COOKIE_NAME, lookup, issuer, seen, tokensUsed, now });
  const replyOptions: ReplyOptions = { authUrl: settings.AUTH_URL, names: identityHeaderNames(settings.IDENTITY_HEADER_PREFIX) };
  let sweepTimer: NodeJS.Timeout | null = null;
  return {
    directory,
    sessions,
    follower,
    state,
    issuer,
    forwardAuth,
    replyOptions,
    handler: forwardAuthHandler(forwardAuth, replyOptions, metrics),
    isReady: () => follower.ready && !follower.stale,
    jwks: () => issuer.jwks(),
    start() {
      follower.start();
      seen.start();
      tokensUsed.start();
      sweepTimer ??= setInterval(() => sweepSessions(sessions, issuer, now()), SWEEP_EVERY_MS);
      sweepTimer.unref();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
      seen.stop();
      tokensUsed.stop();
      await follower.stop();
    },
  };
}

/** What the feed reports, as metrics and log lines. */
function followerHooks(metrics: VerifyMetrics, log: VerifyLog, now: () => number, held: () => string): FollowerHooks {
  return {
    applied: (stream, occurredAt) => metrics.propagationSeconds.observe({ stream }, Math.max(0, now() - Date.parse(occurredAt)) / 1000),
    rejected: (stream, err) => {
      metrics.rejectedEvents.inc({ stream });
      log.error(`skipped an unreadable event on ${stream}: ${String(err)}`);
    },
    conflict: (c) => {
      metrics.eventConflicts.inc({ stream: c.stream, kind: c.kind });
      log.error(
        c.kind === 'beyond-head'
          ? `${c.stream}: applied event ${c.id} at position ${c.position}, which its relay's announcements never reached ` +
              '(not committed by the writer)'
          : `${c.stream}: event ${c.id} at position ${c.position}, already applied as ` +
              `${c.appliedId ?? 'an event too old to identify'}: not applied`,
      );
    },
    error: (stream, err) => log.warn(`following ${stream} failed, retrying: ${String(err)}`),
    caughtUp: () => log.log(`caught up: ${held()}`),
  };
}
