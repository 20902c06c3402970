import { SERVICE_CONFIG, serviceConfigSchema, type ServiceConfig } from '@gate/config';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:net';
import { freePort } from '../../../test/support/ports';
import { bootstrapService, createServiceApp } from './bootstrap-service';
import { JsonLogger } from '@gate/observability';
import { ObservabilityModule } from '@gate/observability';

/** A NATS user nkey seed made for these tests (nothing accepts it). */
const NATS_NKEY_SEED = 'SUAOTMPWDBUPKHNY23SQQJBYIDMQ23HRFH3367OI75STLJ6U4FSIN7LX6M';

@Controller()
class WhereController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  @Get('where')
  where() {
    return { port: this.config.HTTP_PORT };
  }
}

@Module({ imports: [ObservabilityModule.forRoot({ service: 'demo' })], controllers: [WhereController] })
class DemoModule {}

const schema = serviceConfigSchema({ httpPort: 4180 });

describe('createServiceApp', () => {
  it('provides the config to the whole app as SERVICE_CONFIG', async () => {
    const config = { ...schema.parse({ NATS_NKEY_SEED }), HTTP_PORT: 1234 };
    const app = await createServiceApp({
      service: 'demo',
      module: DemoModule,
      config,
      logger: new JsonLogger({ service: 'demo', level: 'error', write: () => undefined }),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const response = await app.inject({ method: 'GET', url: '/where' });
    await app.close();
    expect(response.json()).toEqual({ port: 1234 });
  });
});

describe('bootstrapService', () => {
  let exit: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  let create: jest.SpyInstance;

  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    create = jest.spyOn(NestFactory, 'create');
  });
  afterEach(() => jest.restoreAllMocks());

  it('exits 1 with every config problem on stderr before Nest is created', async () => {
    await expect(
      bootstrapService({ service: 'demo', configSchema: schema, module: DemoModule, env: { HTTP_PORT: 'abc', LOG_LEVEL: 'loud', NATS_NKEY_SEED } }),
    ).rejects.toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(create).not.toHaveBeenCalled();
    expect(stderr.mock.calls.join('')).toBe(
      [
        'demo cannot start. Invalid configuration:',
        '  HTTP_PORT: expected an integer 1-65535, got "abc"',
        '  LOG_LEVEL: expected one of debug, info, warn, error, got "loud"',
        '',
      ].join('\n'),
    );
  });

  it('listens on HTTP_HOST:HTTP_PORT and serves /healthz', async () => {
    const port = await freePort();
    const app = await bootstrapService({
      service: 'demo',
      configSchema: schema,
      module: DemoModule,
      env: { HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'error', NATS_NKEY_SEED },
    });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
    expect(exit).not.toHaveBeenCalled();
  });

  it('exits 1 when it cannot listen', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true); // Nest logs the failure too
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      await expect(
        bootstrapService({
          service: 'demo',
          configSchema: schema,
          module: DemoModule,
          env: { HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'error', NATS_NKEY_SEED },
        }),
      ).rejects.toThrow('exit 1');
      expect(stderr.mock.calls.join('')).toContain('demo cannot start. Error: listen EADDRINUSE');
    } finally {
      blocker.close();
    }
  });
});
