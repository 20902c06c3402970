import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { NatsCorrelationInterceptor } from './correlation.interceptor';
import { MessagingOptions } from './messaging.module';

/**
 * Lets the app's `@MessagePattern` handlers answer requests over NATS. Replicas of one service
 * join one queue group, so each request is answered by exactly one of them. Call before
 * `app.startAllMicroservices()`. Handlers run with the caller's correlation id.
 */
export function connectMessageHandlers(app: INestApplication, options: MessagingOptions): void {
  app.useGlobalInterceptors(new NatsCorrelationInterceptor());
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      options: { servers: options.servers.split(','), name: `${options.service}-handlers`, queue: options.service, maxReconnectAttempts: -1, waitOnFirstConnect: true },
    },
    { inheritAppConfig: true },
  );
}
