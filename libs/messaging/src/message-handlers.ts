import type { INestApplication } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { BusUser } from './bus-permissions';
import { NatsCorrelationInterceptor } from './correlation.interceptor';
import { LinkedNatsServer } from './linked-nats-transport';
import { NatsLink } from './nats-link';

/**
 * Lets the app's `@MessagePattern` handlers answer requests over its NatsLink (MessagingModule).
 * Replicas of one service join one queue group, so each request is answered by exactly one of
 * them. Call before `app.startAllMicroservices()`, which does not wait for NATS (the returned
 * server's `listening` says when the handlers are subscribed). Handlers run with the caller's
 * correlation id.
 */
export function connectMessageHandlers(app: INestApplication, user: BusUser): LinkedNatsServer {
  app.useGlobalInterceptors(new NatsCorrelationInterceptor());
  const server = new LinkedNatsServer(app.get(NatsLink), user);
  app.connectMicroservice<MicroserviceOptions>({ strategy: server }, { inheritAppConfig: true });
  return server;
}
