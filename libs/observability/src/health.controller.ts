import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReadinessRegistry } from './readiness-registry';

/** `GET /healthz` (the process is alive) and `GET /readyz` (every readiness check passes). */
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** Always 200 while the process can answer at all. */
  @Get('healthz')
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every registered check passes, else 503 naming the checks that failed. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, failing } = await this.readiness.report();
    if (ready) return { status: 'ok' };
    void reply.status(503);
    return { status: 'unavailable', failing };
  }
}
