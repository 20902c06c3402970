import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ClientNats } from '@nestjs/microservices';
import { loadConfig } from '@gate/config';
import { SESSIONS_PATTERNS, StartSessionRequest } from '@gate/events';
import { connectMessageHandlers, request } from '@gate/messaging';
import { JsonLogger } from '@gate/observability';
import { createServiceApp } from '@gate/service-app';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { NatsConnection } from '@nats-io/transport-node';
import { Clock } from '../../../services/sessions/src/clock';
import { sessionsConfigSchema } from '../../../services/sessions/src/config';
import { SessionsModule } from '../../../services/sessions/src/sessions.module';
import { TestNatsServer } from '../../support/nats-server';
import { sql, TEST_DATABASE_URL } from '../../support/postgres';
import { Teardown } from '../../support/teardown';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  private at = Date.parse('2026-11-23T10:00:00.000Z');
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** The sessions service on its own NATS and schema, with a test clock and a fake directory. */
export interface SessionsHarness {
  app: NestFastifyApplication;
  nats: TestNatsServer;
  /** A raw connection (a probe, and the fake directory's responder). */
  nc: NatsConnection;
  /** A NATS request/reply client (login and verify use one like it). */
  client: ClientNats;
  clock: TestClock;
  schema: string;
  keys: string;
  /** Principals the fake directory reports in the `admins` group. */
  admins: Set<string>;
  /** When false, the fake directory does not answer (unreachable). */
  directoryUp: { value: boolean };
  /** A cookie token and the matching start request, as login would make them. */
  newLogin(userId: string, extra?: Partial<StartSessionRequest>): { token: string; request: StartSessionRequest };
  /** Logs `userId` in as login would (a token, then `sessions.start` over NATS): its cookie and session id. */
  login(userId: string, userAgent?: string): Promise<{ cookie: string; sessionId: string }>;
  /** The read model's status of a session. */
  statusOf(sessionId: string): Promise<string | undefined>;
  /** How many events the sessions log holds. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Boots the sessions service as main.ts does (message handlers connected), with `env` overrides.
 * A boot that fails half-way stops what it had started before it throws.
 */
export async function startSessions(env: Record<string, string> = {}): Promise<SessionsHarness> {
  const teardown = new Teardown();
  return teardown.guard(() => boot(env, teardown));
}

async function boot(env: Record<string, string>, teardown: Teardown): Promise<SessionsHarness> {
  const nats = teardown.add(await TestNatsServer.start(), (n) => n.destroy());
  const schema = teardown.add(`sessions_${randomBytes(4).toString('hex')}`, (s) => sql(`drop schema if exists "${s}" cascade`));
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const keyring = parseKeyring(keys);
  const config = loadConfig(sessionsConfigSchema, { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...nats.env('sessions'), SESSION_KEYS: keys, ...env });
  const clock = new TestClock();
  // Stands in for the directory (answers `directory.principal`) and inspects JetStream.
  const nc = teardown.add(await nats.connect('admin'), (c) => c.close());
  const admins = new Set<string>();
  const directoryUp = { value: true };
  // The directory's `directory.principal`, answered in the Nest NATS reply format.
  nc.subscribe('directory.principal', {
    callback: (_err, msg) => {
      if (!directoryUp.value) return;
      const { id, data } = msg.json<{ id: string; data: { principalId: string } }>();
      msg.respond(JSON.stringify({ id, response: { exists: true, disabled: false, groups: admins.has(data.principalId) ? ['admins'] : ['staff'] }, isDisposed: true }));
    },
  });
  const logger = new JsonLogger({ service: 'sessions', level: 'error', write: () => undefined });
  const app = teardown.add(await createServiceApp({ service: 'sessions', module: SessionsModule.withClock(clock), config, logger }), (a) => a.close());
  const handlers = connectMessageHandlers(app, 'sessions');
  await app.startAllMicroservices();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await handlers.listening;
  // login's and verify's requests, and an operator's revoke-all, from one caller that may ask anything.
  const client = teardown.add(nats.client('admin'), (c) => c.close());
  const harness: SessionsHarness = {
    app,
    nats,
    nc,
    client,
    clock,
    schema,
    keys,
    admins,
    directoryUp,
    newLogin(userId, extra = {}) {
      const { token, sessionId } = issueSessionToken(keyring);
      return { token, request: { sessionId, userId, email: userId, name: userId.split('@')[0], groups: ['idp-group'], provider: 'test-idp', clientIp: '192.0.2.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', ...extra } };
    },
    async login(userId, userAgent) {
      const { token, request: req } = harness.newLogin(userId, userAgent ? { userAgent } : {});
      await request(harness.client, SESSIONS_PATTERNS.start, req);
      return { cookie: `gate_session=${token}`, sessionId: req.sessionId };
    },
    async statusOf(sessionId) {
      return (await sql<{ status: string }>(`select status from "${schema}".session where session_id = $1`, [sessionId]))[0]?.status;
    },
    async eventCount() {
      return (await sql<{ n: number }>(`select count(*)::int as n from "${schema}".event`))[0].n;
    },
    close: () => teardown.close(),
  };
  return harness;
}
