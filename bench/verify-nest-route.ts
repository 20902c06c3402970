/**
 * Child process of `verify.bench.ts` (not run on its own): the verify app from source with two more
 * routes that answer the same decision the ways verify used to: `/verify-nest` through an ordinary
 * Nest controller (Nest's pipeline and fastify's hooks), `/verify-fastify` as a route on the fastify
 * instance (fastify's hooks). All three run in this one process, so the bench compares them with
 * `/verify` on node's server ahead of fastify. Neither extra route records verify's decision
 * metrics, which favours them slightly. Started with the env from `seedStreams` plus HTTP_PORT.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { loadConfig } from '@gate/config';
import { createServiceApp } from '@gate/service-app';
import { All, Controller, Headers, Module, Res } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyConfigSchema } from '../services/verify/src/config';
import { replyToTraefik } from '../services/verify/src/http/reply-to-traefik';
import { VerifyModule } from '../services/verify/src/verify.module';
import { VerifyRuntime } from '../services/verify/src/verify-runtime';

@Controller()
class NestRouteController {
  constructor(private readonly runtime: VerifyRuntime) {}

  @All('verify-nest')
  async verify(@Headers() headers: IncomingHttpHeaders, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const out = replyToTraefik(await this.runtime.verify.forwardAuth.answer(headers), this.runtime.verify.replyOptions);
    void reply.code(out.status).headers(out.headers);
    return out.body;
  }
}

@Module({ imports: [VerifyModule], controllers: [NestRouteController] })
class NestRouteBenchModule {}

async function main(): Promise<void> {
  const config = loadConfig(verifyConfigSchema, process.env);
  const app = await createServiceApp({ service: 'verify', module: NestRouteBenchModule, config });
  const { verify } = app.get(VerifyRuntime);
  (app.getHttpAdapter().getInstance() as FastifyInstance).get('/verify-fastify', async (request, reply) => {
    const out = replyToTraefik(await verify.forwardAuth.answer(request.headers), verify.replyOptions);
    return reply.code(out.status).headers(out.headers).send(out.body);
  });
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
}

void main();
