import { Controller, INestApplication, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { LookupSessionReply, revokeSessionRequest, SESSIONS_PATTERNS, SessionView, startSessionRequest } from '@gate/events';
import { connectMessageHandlers, MessagingModule } from '@gate/messaging';
import type { TestNatsServer } from '../../support/nats-server';

/**
 * Stands in for the sessions service on NATS while it is being built: answers start, lookup and
 * revoke with the real contracts (requests validated with their zod schemas) and records them.
 * Swap for the real SessionsModule once it is ready.
 */
export class FakeSessions {
  readonly sessions = new Map<string, SessionView>();
  readonly revoked: { sessionId: string; revokedBy: string; reason: string }[] = [];
  /** While true, start requests get no answer (login must time out and show 503). */
  silent = false;
  private position = 0;

  handleStart(data: unknown): SessionView | Promise<never> {
    if (this.silent) return new Promise<never>(() => undefined);
    const req = startSessionRequest.parse(data);
    const now = new Date();
    const view: SessionView = { ...req, startedAt: now.toISOString(), expiresAt: new Date(+now + 86_400_000).toISOString(), idleTimeoutMs: null, lastSeenAt: null, status: 'active', position: ++this.position };
    this.sessions.set(req.sessionId, view);
    return view;
  }

  handleLookup(data: { sessionId: string }): LookupSessionReply {
    const s = this.sessions.get(data.sessionId);
    return s ? { found: true, session: s } : { found: false };
  }

  handleRevoke(data: unknown): { revoked: boolean } {
    const req = revokeSessionRequest.parse(data);
    this.revoked.push(req);
    const s = this.sessions.get(req.sessionId);
    if (!s || s.status !== 'active') return { revoked: false };
    s.status = 'revoked';
    return { revoked: true };
  }

  /** Serves the fake on NATS in the `sessions` queue group; close the returned app when done. */
  async serve(nats: TestNatsServer): Promise<INestApplication> {
    const fake = this;
    @Controller()
    class FakeSessionsController {
      @MessagePattern(SESSIONS_PATTERNS.start)
      start(@Payload() data: unknown) {
        return fake.handleStart(data);
      }
      @MessagePattern(SESSIONS_PATTERNS.lookup)
      lookup(@Payload() data: { sessionId: string }) {
        return fake.handleLookup(data);
      }
      @MessagePattern(SESSIONS_PATTERNS.revoke)
      revoke(@Payload() data: unknown) {
        return fake.handleRevoke(data);
      }
    }
    @Module({ imports: [MessagingModule.forRoot({ servers: nats.url, user: 'sessions', seed: nats.keys.sessions.seed })], controllers: [FakeSessionsController] })
    class FakeSessionsModule {}
    const app = (await Test.createTestingModule({ imports: [FakeSessionsModule] }).compile()).createNestApplication(new FastifyAdapter(), { logger: false });
    const handlers = connectMessageHandlers(app, 'sessions');
    await app.startAllMicroservices();
    await app.init();
    await handlers.listening;
    return app;
  }
}
