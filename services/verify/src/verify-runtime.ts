import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { SERVICE_CONFIG } from '@gate/config';
import { DIRECTORY_TOKENS_USED, SESSIONS_PATTERNS, type LookupSessionReply } from '@gate/events';
import { AssertionSigner } from '@gate/identity-assertion';
import { NATS_CLIENT, NatsLink, request } from '@gate/messaging';
import { ReadinessRegistry } from '@gate/observability';
import { RawRoutes } from '@gate/service-app';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { AssertionIssuer } from './assertion/assertion-issuer';
import type { VerifyConfig } from './config';
import type { DecisionState } from './decision/decide-request';
import { ForwardAuth } from './forward-auth';
import { FORWARD_AUTH_PATH, forwardAuthHandler, installJwksRoute } from './http/forward-auth.route';
import { answerClientErrors } from './http/client-errors';
import { identityHeaderNames, type ReplyOptions } from './http/reply-to-traefik';
import { SessionLookup } from './lookup/session-lookup';
import { VerifyMetrics } from './metrics/verify-metrics';
import { UsageReporter } from './reports/usage-reporter';
import { DirectoryState } from './state/directory-state';
import { SessionState } from './state/session-state';
import { sweepSessions } from './state/sweep-sessions';
import { StreamFollower } from './stream/stream-follower';

/**
 * Wires verify together when the app starts: the in-memory state, the stream follower that feeds
 * it, lookups, assertion signing, usage reports, metrics, readiness, the forwardAuth route ahead of
 * fastify and the JWKS route on it.
 */
@Injectable()
export class VerifyRuntime implements OnModuleInit, BeforeApplicationShutdown {
  readonly directory = new DirectoryState();
  readonly sessions = new SessionState();
  readonly follower: StreamFollower;
  readonly lookup: SessionLookup;
  readonly forwardAuth: ForwardAuth;
  /** How answers become HTTP (login URL, identity header names), from config. */
  readonly replyOptions: ReplyOptions;
  private readonly seen: UsageReporter<{ sessionId: string; at: string }>;
  private readonly tokensUsed: UsageReporter<{ tokenId: string; at: string }>;
  private readonly metrics: VerifyMetrics;
  private readonly issuer: AssertionIssuer;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly log = new Logger('Verify');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: VerifyConfig,
    link: NatsLink,
    @Inject(NATS_CLIENT) private readonly client: ClientProxy,
    @Inject(Registry) registry: Registry,
    private readonly readiness: ReadinessRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly rawRoutes: RawRoutes,
  ) {
    this.follower = new StreamFollower(link, this.directory, this.sessions, config.STREAM_STALE_AFTER, {
      applied: (stream, occurredAt) => this.metrics.propagationSeconds.observe({ stream }, Math.max(0, Date.now() - Date.parse(occurredAt)) / 1000),
      rejected: (stream, err) => {
        this.metrics.rejectedEvents.inc({ stream });
        this.log.error(`skipped an unreadable event on ${stream}: ${String(err)}`);
      },
      conflict: (c) => {
        this.metrics.eventConflicts.inc({ stream: c.stream, kind: c.kind });
        this.log.error(
          c.kind === 'beyond-head'
            ? `${c.stream}: applied event ${c.id} at position ${c.position}, which its relay's announcements never reached (not committed by the writer)`
            : `${c.stream}: event ${c.id} at position ${c.position}, already applied as ${c.appliedId ?? 'an event too old to identify'}: not applied`,
        );
      },
      error: (stream, err) => this.log.warn(`following ${stream} failed, retrying: ${String(err)}`),
      caughtUp: () => this.log.log(`caught up: ${this.sessions.activeCount} sessions, ${this.directory.rules.size} rules`),
    });
    this.lookup = new SessionLookup({
      ask: (sessionId) => request<LookupSessionReply>(client, SESSIONS_PATTERNS.lookup, { sessionId }, config.LOOKUP_TIMEOUT),
      learn: (view) => this.sessions.applyLookup(view),
      negativeTtlMs: config.LOOKUP_NEGATIVE_TTL,
      ratePerSec: config.LOOKUP_RATE,
      burst: config.LOOKUP_BURST,
      onResult: (result) => this.metrics.lookups.inc({ result }),
    });
    const intervals = { intervalMs: config.REPORT_INTERVAL, sampleMs: config.SEEN_SAMPLE };
    this.seen = new UsageReporter((seen) => client.emit(SESSIONS_PATTERNS.seen, { seen }).subscribe({ error: () => undefined }), (sessionId, at) => ({ sessionId, at: new Date(at).toISOString() }), intervals);
    this.tokensUsed = new UsageReporter((uses) => client.emit(DIRECTORY_TOKENS_USED, { uses }).subscribe({ error: () => undefined }), (tokenId, at) => ({ tokenId, at: new Date(at).toISOString() }), intervals);
    this.issuer = new AssertionIssuer(new AssertionSigner(config.ASSERTION_KEYS, config.AUTH_URL));
    const follower = this.follower;
    const lookup = this.lookup;
    const state: DecisionState = {
      directory: this.directory,
      sessions: this.sessions,
      get rulesKnown() {
        return follower.rulesKnown;
      },
      get ready() {
        return follower.ready;
      },
      get stale() {
        return follower.stale;
      },
      isKnownMissing: (id) => lookup.isKnownMissing(id),
    };
    this.replyOptions = { authUrl: config.AUTH_URL, names: identityHeaderNames(config.IDENTITY_HEADER_PREFIX) };
    this.forwardAuth = new ForwardAuth({ state, keyring: config.SESSION_KEYS, cookieName: config.SESSION_COOKIE_NAME, lookup, issuer: this.issuer, seen: this.seen, tokensUsed: this.tokensUsed });
    this.metrics = new VerifyMetrics(registry, {
      sessions: () => ({ active: this.sessions.activeCount, tombstones: this.sessions.tombstoneCount }),
      rules: () => this.directory.rules.size,
      tokens: () => this.directory.tokensByHash.size,
      negativeCache: () => lookup.negativeCacheSize,
      lag: () => follower.lag(),
      ready: () => follower.ready,
      stale: () => follower.stale,
    });
  }

  async onModuleInit(): Promise<void> {
    this.rawRoutes.add(FORWARD_AUTH_PATH, forwardAuthHandler(this.forwardAuth, this.replyOptions, this.metrics));
    // Every answer no-store (FORWARD_AUTH.md), also fastify's 404 for a forwardAuth address with a typo.
    this.rawRoutes.setFastifyDefaultHeader('cache-control', 'no-store');
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) {
      installJwksRoute(fastify, () => this.issuer.jwks());
      answerClientErrors(fastify.server);
    }
    this.readiness.register('verify-state', () => this.follower.ready && !this.follower.stale);
    this.follower.start();
    this.seen.start();
    this.tokensUsed.start();
    this.sweepTimer = setInterval(() => sweepSessions(this.sessions, this.issuer, Date.now()), 60_000);
    this.sweepTimer.unref();
  }

  /** Before the NATS connection drains: send the last reports, stop following. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.seen.stop();
    this.tokensUsed.stop();
    await this.follower.stop();
  }
}
