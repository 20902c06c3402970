import { randomBytes, randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import { EVENT_STORE, EventStore, EventStoreModule } from '@gate/eventstore';
import { sessionsEvents } from '@gate/events';
import { connectNats, MessagingModule, streamNameOf } from '@gate/messaging';
import { createServiceApp, JsonLogger, ObservabilityModule } from '@gate/observability';
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
    const config = loadConfig(configSchema, { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, NATS_URL: nats.url, HTTP_PORT: '4999' });
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
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(await sql(`select count(*)::int as n from "${schema}".event`)).toEqual([{ n: 0 }]);

    const store = app.get<EventStore<typeof sessionsEvents.definitions>>(EVENT_STORE);
    const now = new Date();
    await store.append('session:s1', 0, [
      { type: 'SessionStarted', data: { sessionId: 's1', userId: 'a@x.io', email: 'a@x.io', name: 'A', groups: [], provider: 'test', clientIp: null, userAgent: null, startedAt: now.toISOString(), expiresAt: new Date(+now + 3600e3).toISOString(), idleTimeoutMs: null } },
    ], { actor: 'a@x.io', correlationId: randomUUID(), occurredAt: now });

    const nc = await connectNats(nats.url, 'probe');
    const jsm = await jetstreamManager(nc);
    await waitFor('the event on AUTH_SESSIONS', async () => (await jsm.streams.info(streamNameOf('sessions'))).state.messages === 1);
    const msg = await jsm.streams.getMessage(streamNameOf('sessions'), { seq: 1 });
    expect(msg?.subject).toBe('auth.sessions.session.s1');
    expect(msg?.json()).toMatchObject({ type: 'SessionStarted', position: 1, data: { sessionId: 's1' } });
    await nc.close();

    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/outbox_published_total\{context="sessions",service="sessions"\} 1/);
  });
});
