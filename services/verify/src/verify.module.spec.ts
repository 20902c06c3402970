import { loadConfig } from '@gate/config';
import { createServiceApp, JsonLogger } from '@gate/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { verifyConfigSchema } from './config';
import { VerifyModule } from './verify.module';

describe('the verify service as it boots', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createServiceApp({
      service: 'verify',
      module: VerifyModule,
      config: loadConfig(verifyConfigSchema, {}),
      logger: new JsonLogger({ service: 'verify', level: 'error', write: () => undefined }),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('needs no variables and listens on 4180 by default', () => {
    expect(loadConfig(verifyConfigSchema, {}).HTTP_PORT).toBe(4180);
  });

  it('answers /healthz and /readyz, and labels its metrics with its name', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^http_requests_total\{route="\/healthz",method="GET",status="200",service="verify"\} 1$/m);
  });
});
