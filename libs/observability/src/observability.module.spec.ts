import { Body, CanActivate, Controller, Get, Logger, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import * as http from 'node:http';
import { Registry } from 'prom-client';
import { CORRELATION_HEADER, currentCorrelationId } from './correlation';
import { JsonLogger } from './json-logger';
import { ObservabilityModule } from './observability.module';
import { ReadinessRegistry } from './readiness-registry';

class Refuse implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('things')
class ThingsController {
  private readonly logger = new Logger('Things');

  @Get(':id')
  get(@Param('id') id: string) {
    if (id === 'missing') throw new NotFoundException();
    if (id === 'broken') throw new Error('handler failed');
    this.logger.log(`got ${id}`);
    return { id, correlationId: currentCorrelationId() };
  }

  @Post()
  create(@Body() body: { name: string }) {
    return { name: body.name, correlationId: currentCorrelationId() };
  }

  @Get(':id/secret')
  @UseGuards(Refuse)
  secret() {
    return 'never';
  }
}

describe('ObservabilityModule on fastify', () => {
  let app: NestFastifyApplication;
  const logLines: string[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'things' })],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: new JsonLogger({ service: 'things', level: 'info', write: (line) => logLines.push(line) }),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  /** The value of the sample `name` with exactly these labels (plus service), whatever their order. */
  async function sample(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const wanted = JSON.stringify(Object.entries({ ...labels, service: 'things' }).sort());
    for (const line of text.split('\n')) {
      const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const found = [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]).sort();
      if (JSON.stringify(found) === wanted) return Number(match[3]);
    }
    return undefined;
  }

  it('answers /healthz while alive', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 naming the failing checks, then 200 once they pass', async () => {
    const readiness = app.get(ReadinessRegistry);
    let caughtUp = false;
    readiness.register('projection', () => caughtUp);
    readiness.register('nats', async () => true);

    const before = await app.inject({ method: 'GET', url: '/readyz' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ status: 'unavailable', failing: ['projection'] });

    caughtUp = true;
    const after = await app.inject({ method: 'GET', url: '/readyz' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({ status: 'ok' });
  });

  it('serves /metrics in the Prometheus text format with the service label and default metrics', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toMatch(/^process_cpu_user_seconds_total\{service="things"\} /m);
  });

  it('counts a request under its route template, not its URL', async () => {
    const labels = { route: '/things/:id', method: 'GET', status: '200' };
    const before = (await sample('http_requests_total', labels)) ?? 0;
    const timedBefore = (await sample('http_request_duration_seconds_count', labels)) ?? 0;
    await app.inject({ method: 'GET', url: '/things/1' });
    await app.inject({ method: 'GET', url: '/things/2?x=y' });
    expect(await sample('http_requests_total', labels)).toBe(before + 2);
    expect(await sample('http_request_duration_seconds_count', labels)).toBe(timedBefore + 2);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('route="/things/1"');
  });

  it.each([
    ['an HttpException from a handler', '/things/missing', '/things/:id', 404],
    ['an Error from a handler', '/things/broken', '/things/:id', 500],
    ['a refusal by a guard', '/things/1/secret', '/things/:id/secret', 403],
    ['a URL that matches no route', '/no/such/path', 'unmatched', 404],
  ])('counts %s with the status the client got', async (_what, url, route, status) => {
    const labels = { route, method: 'GET', status: String(status) };
    const before = (await sample('http_requests_total', labels)) ?? 0;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    expect(await sample('http_requests_total', labels)).toBe(before + 1);
  });

  it('registers metrics of other modules in the injectable registry', async () => {
    const registry = app.get(Registry);
    const { Counter } = await import('prom-client');
    new Counter({ name: 'decisions_total', help: 'test', registers: [registry] }).inc(3);
    expect(await sample('decisions_total')).toBe(3);
  });

  it('echoes a valid x-correlation-id and makes it current in the handler and its logs', async () => {
    logLines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/things/7', headers: { [CORRELATION_HEADER]: 'trace-7' } });
    expect(response.headers[CORRELATION_HEADER]).toBe('trace-7');
    expect(response.json()).toEqual({ id: '7', correlationId: 'trace-7' });
    const logged = logLines.map((l) => JSON.parse(l)).find((e) => e.msg === 'got 7');
    expect(logged).toMatchObject({ context: 'Things', correlationId: 'trace-7', service: 'things' });
  });

  it('keeps the correlation id through a request body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { [CORRELATION_HEADER]: 'trace-post' },
      payload: { name: 'n' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'n', correlationId: 'trace-post' });
  });

  it('keeps the correlation id through a request body that arrives after the headers', async () => {
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/things`;
    const reply = await new Promise<string>((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { [CORRELATION_HEADER]: 'trace-late', 'content-type': 'application/json' },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(text));
      });
      request.flushHeaders();
      setTimeout(() => request.end(JSON.stringify({ name: 'late' })), 50);
    });
    expect(JSON.parse(reply)).toEqual({ name: 'late', correlationId: 'trace-late' });
  });

  it('replaces an invalid x-correlation-id with a new one, and makes one when none is sent', async () => {
    const invalid = await app.inject({ method: 'GET', url: '/things/1', headers: { [CORRELATION_HEADER]: 'bad id!' } });
    const none = await app.inject({ method: 'GET', url: '/things/1' });
    for (const response of [invalid, none]) {
      const id = response.headers[CORRELATION_HEADER];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.json().correlationId).toBe(id);
    }
    expect(invalid.headers[CORRELATION_HEADER]).not.toBe(none.headers[CORRELATION_HEADER]);
  });

  it('echoes the correlation id on errors and unmatched routes too', async () => {
    for (const url of ['/things/broken', '/nowhere']) {
      const response = await app.inject({ method: 'GET', url, headers: { [CORRELATION_HEADER]: 'err-1' } });
      expect(response.headers[CORRELATION_HEADER]).toBe('err-1');
    }
  });
});

describe('ObservabilityModule without correlation ids', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'things', correlation: false })],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('neither echoes nor sets a correlation id, and still counts requests', async () => {
    const response = await app.inject({ method: 'GET', url: '/things/3', headers: { [CORRELATION_HEADER]: 'trace-3' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers[CORRELATION_HEADER]).toBeUndefined();
    expect(response.json()).toEqual({ id: '3' });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/things\/:id"[^}]*\} 1/);
  });
});
