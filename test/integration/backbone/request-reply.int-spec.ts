import { BeforeApplicationShutdown, Controller, INestApplication, Inject, Injectable, Module } from '@nestjs/common';
import { ClientProxy, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { connectMessageHandlers, MessagingModule, NATS_CLIENT, request, RequestFailedError } from '@gate/messaging';
import { currentCorrelationId, runWithCorrelationId } from '@gate/observability';
import { TestNatsServer } from '../../support/nats-server';

@Controller()
class EchoController {
  static answeredBy: string[] = [];
  constructor(@Inject('INSTANCE') private readonly instance: string) {}

  @MessagePattern('test.echo')
  echo(@Payload() data: { text: string }) {
    EchoController.answeredBy.push(this.instance);
    if (data.text === 'boom') throw new RpcException({ code: 'TEST.BOOM', message: 'refused' });
    return { echo: data.text, by: this.instance, correlationId: currentCorrelationId() };
  }
}

/** Sends one last report while the app shuts down, as verify's usage reporters do. */
@Injectable()
class LastWords implements BeforeApplicationShutdown {
  constructor(@Inject(NATS_CLIENT) private readonly client: ClientProxy) {}

  beforeApplicationShutdown() {
    this.client.emit('test.last-words', { bye: true }).subscribe({ error: () => undefined });
  }
}

describe('request/reply over NATS with @nestjs/microservices', () => {
  let nats: TestNatsServer;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    nats = await TestNatsServer.start({ monitor: true });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await nats.destroy();
  });

  async function boot(instance: string, withHandlers: boolean) {
    @Module({
      imports: [MessagingModule.forRoot({ servers: nats.url, service: 'echo' })],
      controllers: withHandlers ? [EchoController] : [],
      providers: [{ provide: 'INSTANCE', useValue: instance }],
    })
    class AppModule {}
    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication(new FastifyAdapter(), { logger: false });
    if (withHandlers) connectMessageHandlers(app, { servers: nats.url, service: 'echo' });
    await app.startAllMicroservices();
    await app.init();
    apps.push(app);
    return app;
  }

  it('answers each request exactly once across replicas in one queue group, and maps errors and timeouts', async () => {
    await boot('a', true);
    await boot('b', true);
    const caller = await boot('caller', false);
    const client = caller.get<ClientProxy>(NATS_CLIENT);

    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => request<{ echo: string; by: string }>(client, 'test.echo', { text: `m${i}` })));
    expect(replies.map((r) => r.echo)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(EchoController.answeredBy).toHaveLength(20);

    await expect(request(client, 'test.echo', { text: 'boom' })).rejects.toMatchObject({ code: 'TEST.BOOM' });

    const traced = await runWithCorrelationId('req-42', () => request<{ correlationId: string }>(client, 'test.echo', { text: 'x' }));
    expect(traced.correlationId).toBe('req-42');
    const silent = request(client, 'test.nobody-listens', {}, 300);
    await expect(silent).rejects.toBeInstanceOf(RequestFailedError);
  });

  it('leaves no connection open when a message is sent during shutdown before the client was ever used', async () => {
    const before = await nats.connectionCount();
    @Module({ imports: [MessagingModule.forRoot({ servers: nats.url, service: 'reporter' })], providers: [LastWords] })
    class ReporterModule {}
    const app = (await Test.createTestingModule({ imports: [ReporterModule] }).compile()).createNestApplication(new FastifyAdapter(), { logger: false });
    await app.init();
    expect(await nats.connectionCount()).toBe(before + 2); // the raw connection and the request/reply client
    await app.close();
    await new Promise((r) => setTimeout(r, 300)); // a late lazy connect would have happened by now
    expect(await nats.connectionCount()).toBe(before);
  });
});
