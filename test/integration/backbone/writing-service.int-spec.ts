import { randomBytes, randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import { EVENT_STORE, EventStore, EventStoreModule } from '@gate/eventstore';
import { sessionsEvents } from '@gate/events';
import { MessagingModule, streamNameOf } from '@gate/messaging';
import { JsonLogger, ObservabilityModule } from '@gate/observability';
import { createServiceApp } from '@gate/service-app';
import { Module } from '@nestjs/common';
import { TestNatsServer } from '../../support/nats-server';
import { sql, TEST_DATABASE_URL } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';
import { jetstreamManager } from '@nats-io/jetstream';

/** A writing service as the real ones are wired, with nothing of its own yet. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'sessions' }),
    MessagingModule.forService('sessions'),
    EventStoreModule.forRoot({ catalog: sessionsEvents }),
  ],
})
class WritingServiceModule {}

const configSchema = serviceConfigSchema({ httpPort: 4183 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
});

describe('a writing service boots on the backbone', () => {
  let nats: TestNatsServer;
  let app: NestFastifyApplication;
  const schema = `svc_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    const config = loadConfig(configSchema, { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...nats.env('sessions'), HTTP_PORT: '4999' });
    app = await createServiceApp({ service: 'sessions', module: WritingServiceModule, config, logger: new JsonLogger({ service: 'sessions', level: 'error', write: () => undefined }) });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await sql(`drop schema if exists "${schema}" cascade`);
    await nats.destroy();
  });

  it('migrates its schema, is ready, and relays what it appends to its JetStream stream', async () => {
    await waitFor('ready', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200);
    expect(await sql(`select count(*)::int as n from "${schema}".event`)).toEqual([{ n: 0 }]);

    const store = app.get<EventStore<typeof sessionsEvents.definitions>>(EVENT_STORE);
    const now = new Date();
    await store.append('session:s1', 0, [
      { type: 'SessionStarted', data: { sessionId: 's1', userId: 'a@x.io', email: 'a@x.io', name: 'A', groups: [], provider: 'test', clientIp: null, userAgent: null, startedAt: now.toISOString(), expiresAt: new Date(+now + 3600e3).toISOString(), idleTimeoutMs: null } },
    ], { actor: 'a@x.io', correlationId: randomUUID(), occurredAt: now });

    const nc = await nats.connect('reader');
    const jsm = await jetstreamManager(nc);
    await waitFor('the event on AUTH_SESSIONS', async () => (await jsm.streams.info(streamNameOf('sessions'))).state.messages === 1);
    const msg = await jsm.streams.getMessage(streamNameOf('sessions'), { seq: 1 });
    expect(msg?.subject).toBe('auth.sessions.session.s1');
    expect(msg?.json()).toMatchObject({ type: 'SessionStarted', position: 1, data: { sessionId: 's1' } });
    await nc.close();

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/outbox_published_total\{context="sessions",service="sessions"\} 1/);
  });

  it('names NATS on /readyz while NATS is unreachable, and is ready again once it is back', async () => {
    await nats.pause();
    await waitFor('readyz names nats', async () => {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      return res.statusCode === 503 && res.json().failing.includes('nats');
    }, 5_000);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await nats.resume();
    await waitFor('ready again', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 5_000);
  });
});

describe('a writing service started while NATS is unreachable', () => {
  it('starts anyway, serves /healthz, names NATS on /readyz, logs where and why at each retry, and connects once NATS is there', async () => {
    const nats = await TestNatsServer.start();
    await nats.pause();
    const schema = `svc_${randomBytes(4).toString('hex')}`;
    const lines: string[] = [];
    const config = loadConfig(configSchema, { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...nats.env('sessions'), HTTP_PORT: '4999' });
    const app = await createServiceApp({ service: 'sessions', module: WritingServiceModule, config, logger: new JsonLogger({ service: 'sessions', level: 'info', write: (l) => void lines.push(l) }) });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const readyz = await app.inject({ method: 'GET', url: '/readyz' });
      expect([readyz.statusCode, readyz.json().failing]).toEqual([503, ['nats']]);
      await waitFor('two logged retries', () => lines.filter((l) => l.includes('cannot reach NATS')).length >= 2, 5_000);
      const retry = JSON.parse(lines.find((l) => l.includes('cannot reach NATS'))!);
      expect(retry).toMatchObject({ level: 'warn' });
      expect(retry.msg).toContain(`cannot reach NATS at ${nats.url} as sessions`);
      expect(retry.msg).toMatch(/ECONNREFUSED|connection refused/i);

      await nats.resume();
      await waitFor('ready once NATS is there', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 10_000);
      expect(lines.some((l) => l.includes(`connected to NATS at`))).toBe(true);
    } finally {
      await app.close();
      await sql(`drop schema if exists "${schema}" cascade`);
      await nats.destroy();
    }
  });
});
