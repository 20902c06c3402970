import { BeforeApplicationShutdown, Controller, INestApplication, Inject, Injectable, Module } from '@nestjs/common';
import { ClientProxy, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SESSIONS_PATTERNS, DIRECTORY_PATTERNS, DIRECTORY_TOKENS_USED } from '@gate/events';
import { type BusUser, connectMessageHandlers, MessagingModule, NATS_CLIENT, NatsLink, request, RequestFailedError } from '@gate/messaging';
import { currentCorrelationId, runWithCorrelationId } from '@gate/observability';
import { TestNatsServer } from '../../support/nats-server';

@Controller()
class EchoController {
  static answeredBy: string[] = [];
  constructor(@Inject('INSTANCE') private readonly instance: string) {}

  @MessagePattern(SESSIONS_PATTERNS.lookup)
  echo(@Payload() data: { text: string }) {
    EchoController.answeredBy.push(this.instance);
    if (data.text === 'boom') throw new RpcException({ code: 'TEST.BOOM', message: 'refused' });
    return { echo: data.text, by: this.instance, correlationId: currentCorrelationId() };
  }
}

@Controller()
class PrincipalController {
  static asked = 0;

  @MessagePattern(DIRECTORY_PATTERNS.principal)
  principal() {
    PrincipalController.asked++;
    return { exists: true, disabled: false, groups: [] };
  }
}

/** Sends one last report while the app shuts down, as verify's usage reporters do. */
@Injectable()
class LastWords implements BeforeApplicationShutdown {
  constructor(@Inject(NATS_CLIENT) private readonly client: ClientProxy) {}

  beforeApplicationShutdown() {
    this.client.emit(SESSIONS_PATTERNS.seen, { bye: true }).subscribe({ error: () => undefined });
  }
}

// The transport is exercised on real subjects with real bus users, so the permissions take part:
// replicas answer as `sessions`, the caller asks as `verify`.
describe('request/reply over NATS with @nestjs/microservices', () => {
  let nats: TestNatsServer;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    nats = await TestNatsServer.start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await nats.destroy();
  });

  async function boot(instance: string, user: BusUser, withHandlers: boolean) {
    @Module({
      imports: [MessagingModule.forRoot({ servers: nats.url, user, seed: nats.keys[user].seed })],
      controllers: withHandlers ? [user === 'directory' ? PrincipalController : EchoController] : [],
      providers: [{ provide: 'INSTANCE', useValue: instance }],
    })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication(new FastifyAdapter(), { logger: false });
    const handlers = withHandlers ? connectMessageHandlers(app, user) : null;
    await app.startAllMicroservices();
    await app.init();
    await app.get(NatsLink).connection;
    await handlers?.listening;
    apps.push(app);
    return app;
  }

  it('answers each request exactly once across replicas in one queue group, and maps errors and timeouts', async () => {
    await boot('a', 'sessions', true);
    await boot('b', 'sessions', true);
    const caller = await boot('caller', 'verify', false);
    const client = caller.get<ClientProxy>(NATS_CLIENT);

    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => request<{ echo: string; by: string }>(client, SESSIONS_PATTERNS.lookup, { text: `m${i}` })));
    expect(replies.map((r) => r.echo)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(EchoController.answeredBy).toHaveLength(20);

    await expect(request(client, SESSIONS_PATTERNS.lookup, { text: 'boom' })).rejects.toMatchObject({ code: 'TEST.BOOM' });

    const traced = await runWithCorrelationId('req-42', () => request<{ correlationId: string }>(client, SESSIONS_PATTERNS.lookup, { text: 'x' }));
    expect(traced.correlationId).toBe('req-42');
    const silent = request(client, DIRECTORY_TOKENS_USED, {}, 300);
    await expect(silent).rejects.toBeInstanceOf(RequestFailedError);
  });

  it('lets a service ask only what it must: the directory answers sessions about principals, not verify', async () => {
    await boot('directory', 'directory', true);
    const sessions = await boot('sessions-asker', 'sessions', false);
    const verify = await boot('verify-asker', 'verify', false);
    await expect(request(sessions.get<ClientProxy>(NATS_CLIENT), DIRECTORY_PATTERNS.principal, { principalId: 'a@x.io' })).resolves.toMatchObject({ exists: true });
    const asked = PrincipalController.asked;
    // The server refuses verify's publish: the directory never hears of it.
    await expect(request(verify.get<ClientProxy>(NATS_CLIENT), DIRECTORY_PATTERNS.principal, { principalId: 'a@x.io' }, 500)).rejects.toBeInstanceOf(RequestFailedError);
    expect(PrincipalController.asked).toBe(asked);
  });

  it('leaves no connection open when a message is sent during shutdown before the client was ever used', async () => {
    const before = await nats.connectionCount();
    @Module({ imports: [MessagingModule.forRoot({ servers: nats.url, user: 'verify', seed: nats.keys.verify.seed })], providers: [LastWords] })
    class ReporterModule {}
    const app = (await Test.createTestingModule({ imports: [ReporterModule] }).compile()).createNestApplication(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.get(NatsLink).connection;
    expect(await nats.connectionCount()).toBe(before + 1); // one connection per service, the request/reply client on it
    await app.close();
    await new Promise((r) => setTimeout(r, 300)); // a late lazy connect would have happened by now
    expect(await nats.connectionCount()).toBe(before);
  });
});
