import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '@gate/config';
import { DirectoryEvent, directoryEvents, SessionsEvent, sessionsEvents, SESSIONS_PATTERNS, SessionView, streamIdOf } from '@gate/events';
import { EventStore, OutboxRelay } from '@gate/eventstore';
import { generateAssertionKey } from '@gate/identity-assertion';
import type { NatsLink } from '@gate/messaging';
import { JsonLogger } from '@gate/observability';
import { createServiceApp, RawRoutes } from '@gate/service-app';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inject, type InjectOptions } from 'light-my-request';
import { NatsConnection, Subscription } from '@nats-io/transport-node';
import { verifyConfigSchema } from '../../../services/verify/src/config';
import { VerifyModule } from '../../../services/verify/src/verify.module';
import { VerifyRuntime } from '../../../services/verify/src/verify-runtime';
import { TestNatsServer } from '../../support/nats-server';
import { freshSchema, TEST_DATABASE_URL } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';

export const AUTH_URL = 'https://auth.example.com';
const HOUR = 3600_000;

/**
 * One test file's world: its own NATS (with the deployed permissions), two fresh schemas with real
 * event stores whose outbox relays publish to JetStream and announce their heads exactly as the
 * directory and sessions services do (as those users), a stand-in for sessions' lookup responder
 * and the directory's token-use handler, and any number of verify apps booted with createServiceApp.
 */
export class VerifyWorld {
  readonly sessionKeys = `k1:${randomBytes(32).toString('base64')}`;
  readonly keyring = parseKeyring(this.sessionKeys);
  readonly assertionKeys = JSON.stringify([generateAssertionKey('a1')]);
  /** What the lookup responder answers (sessions' own state in a real deployment). */
  readonly sessionsKnown = new Map<string, SessionView>();
  lookupCalls: string[] = [];
  lookupDelayMs = 0;
  seenBatches: { sessionId: string; at: string }[][] = [];
  tokenUseBatches: { tokenId: string; at: string }[][] = [];
  private apps: NestFastifyApplication[] = [];
  private subs: Subscription[] = [];
  private constructor(
    readonly nats: TestNatsServer,
    /** Every permission (tests only): inspects JetStream, stands in for sessions and the directory. */
    readonly nc: NatsConnection,
    private readonly links: NatsLink[],
    private readonly dirDb: Awaited<ReturnType<typeof freshSchema>>,
    private readonly sesDb: Awaited<ReturnType<typeof freshSchema>>,
    readonly directory: EventStore<typeof directoryEvents.definitions>,
    readonly sessionsStore: EventStore<typeof sessionsEvents.definitions>,
    private readonly relays: OutboxRelay[],
  ) {}

  /** A world whose `relays` run (both unless said: without the sessions relay, its stream never appears). */
  static async create(opts: { relays?: ('directory' | 'sessions')[] } = {}): Promise<VerifyWorld> {
    const nats = await TestNatsServer.start();
    const nc = await nats.connect('admin');
    const dirDb = await freshSchema('vdir');
    const sesDb = await freshSchema('vses');
    const links = [nats.link('directory'), nats.link('sessions')];
    const relays = [
      new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: dirDb.schema, context: 'directory', nats: links[0], pollMs: 200 }),
      new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: sesDb.schema, context: 'sessions', nats: links[1], pollMs: 200 }),
    ];
    const running = opts.relays ?? ['directory', 'sessions'];
    relays.forEach((r, i) => running.includes(i === 0 ? 'directory' : 'sessions') && r.start());
    const world = new VerifyWorld(nats, nc, links, dirDb, sesDb, new EventStore(dirDb.orm, directoryEvents), new EventStore(sesDb.orm, sessionsEvents), relays);
    world.answerLookups();
    return world;
  }

  /** Boots a verify app (config from `env` over the defaults) and waits until it has bound its routes. */
  async boot(env: Record<string, string> = {}, opts: { waitReady?: boolean } = {}): Promise<NestFastifyApplication> {
    const config = loadConfig(verifyConfigSchema, {
      ...this.nats.env('verify'),
      SESSION_KEYS: this.sessionKeys,
      AUTH_URL,
      ASSERTION_KEYS: this.assertionKeys,
      REPORT_INTERVAL: '100ms',
      ...env,
    });
    const app = await createServiceApp({ service: 'verify', module: VerifyModule, config, logger: new JsonLogger({ service: 'verify', level: 'error', write: () => undefined }) });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    this.apps.push(app);
    if (opts.waitReady !== false) await waitFor('verify ready and fresh', () => app.get(VerifyRuntime).verify.isReady());
    return app;
  }

  async close(app: NestFastifyApplication): Promise<void> {
    this.apps = this.apps.filter((a) => a !== app);
    await app.close();
  }

  async destroy(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.close();
    for (const s of this.subs) s.unsubscribe();
    for (const r of this.relays) await r.stop();
    for (const l of this.links) await l.close();
    await this.nc.close();
    await this.dirDb.drop();
    await this.sesDb.drop();
    await this.nats.destroy();
  }

  /** Appends directory events (as the directory service would) and returns the last position. */
  async dir(streamId: string, ...events: DirectoryEvent[]): Promise<number> {
    const envs = await this.directory.append(streamId, 'any', events, meta());
    return envs[envs.length - 1].position;
  }

  async rule(rule: { id: string; host: string; effect: 'allow' | 'deny' | 'public'; priority?: number; paths?: string[]; methods?: string[]; subjects?: { users?: string[]; groups?: string[] } }, type: 'RuleDefined' | 'RuleChanged' = 'RuleDefined'): Promise<number> {
    return this.dir(streamIdOf('rule', rule.id), { type, data: { rule: { priority: 100, ...rule } } } as DirectoryEvent);
  }

  /** A session as login would start it: the cookie value and the public id, with SessionStarted appended unless `publish` is false. */
  async startSession(userId: string, opts: { groups?: string[]; expiresInMs?: number; publish?: boolean } = {}) {
    const { token, sessionId } = issueSessionToken(this.keyring);
    const now = new Date();
    const data = {
      sessionId,
      userId,
      email: userId,
      name: `Name of ${userId.split('@')[0]}`,
      groups: opts.groups ?? [],
      provider: 'test',
      clientIp: null,
      userAgent: null,
      startedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (opts.expiresInMs ?? HOUR)).toISOString(),
      idleTimeoutMs: null,
    };
    let position = 0;
    if (opts.publish !== false) {
      const envs = await this.sessionsStore.append(streamIdOf('session', sessionId), 0, [{ type: 'SessionStarted', data }], meta());
      position = envs[0].position;
    }
    this.sessionsKnown.set(sessionId, { ...data, lastSeenAt: null, status: 'active', position: position || 1 });
    return { token, sessionId, cookie: `gate_session=${token}` };
  }

  async revoke(sessionId: string, userId: string): Promise<number> {
    const event: SessionsEvent = { type: 'SessionRevoked', data: { sessionId, userId, revokedBy: 'admin', reason: 'admin', revokedAt: new Date().toISOString() } };
    const envs = await this.sessionsStore.append(streamIdOf('session', sessionId), 'any', [event], meta());
    const known = this.sessionsKnown.get(sessionId);
    if (known) this.sessionsKnown.set(sessionId, { ...known, status: 'revoked', position: envs[0].position });
    return envs[0].position;
  }

  /** Waits until `app` has applied the directory or sessions log up to `position`. */
  async applied(app: NestFastifyApplication, context: 'directory' | 'sessions', position: number): Promise<void> {
    const rt = app.get(VerifyRuntime).verify;
    await waitFor(`${context} position ${position}`, () => (context === 'directory' ? rt.directory.appliedPosition : rt.sessions.appliedPosition) >= position);
  }

  /** Answers `sessions.lookup` (Nest's NATS wire format) from `sessionsKnown`, and records `sessions.seen` / token-use batches. */
  private answerLookups(): void {
    const lookups = this.nc.subscribe(SESSIONS_PATTERNS.lookup, {
      callback: (_err, msg) => {
        const packet = msg.json<{ id: string; data: { sessionId: string } }>();
        this.lookupCalls.push(packet.data.sessionId);
        const view = this.sessionsKnown.get(packet.data.sessionId);
        const response = view ? { found: true, session: view } : { found: false };
        setTimeout(() => msg.respond(JSON.stringify({ id: packet.id, response, isDisposed: true })), this.lookupDelayMs);
      },
    });
    const seen = this.nc.subscribe(SESSIONS_PATTERNS.seen, { callback: (_e, msg) => void this.seenBatches.push(msg.json<{ data: { seen: never[] } }>().data.seen) });
    const used = this.nc.subscribe('directory.tokens-used', { callback: (_e, msg) => void this.tokenUseBatches.push(msg.json<{ data: { uses: never[] } }>().data.uses) });
    this.subs.push(lookups, seen, used);
  }
}

/** Event metadata as a service would pass it. */
export function meta() {
  return { actor: 'test', correlationId: randomUUID(), occurredAt: new Date() };
}

/**
 * A forwarded request as Traefik sends it to `/verify`, through the HTTP server's own request
 * listener (as a real request goes), since `/verify` is answered ahead of fastify.
 */
export function forwarded(app: NestFastifyApplication, opts: { host?: string; uri?: string; method?: string; proto?: string; headers?: Record<string, string | string[]> } = {}) {
  return verifyRequest(app, {
    'x-forwarded-method': opts.method ?? 'GET',
    'x-forwarded-proto': opts.proto ?? 'https',
    'x-forwarded-host': opts.host ?? 'app.example.com',
    'x-forwarded-uri': opts.uri ?? '/',
    'x-forwarded-for': '203.0.113.7',
    ...opts.headers,
  });
}

/** A request to `/verify` with exactly these headers (GET unless `extra` says), through the server's request listener. */
export function verifyRequest(app: NestFastifyApplication, headers: Record<string, string | string[]>, extra: Pick<InjectOptions, 'method' | 'payload'> = {}) {
  return inject(app.get(RawRoutes).listener, { method: 'GET', ...extra, url: '/verify', headers });
}

/** Accept header of a browser navigation. */
export const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
