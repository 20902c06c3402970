import { connectMessageHandlers } from '@gate/messaging';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sessionsConfigSchema } from './config';
import { SessionsModule } from './sessions.module';

/** The sessions service as `bootstrapService`/`startService` start it: HTTP and NATS handlers. */
export const sessionsService = {
  service: 'sessions',
  configSchema: sessionsConfigSchema,
  module: SessionsModule,
  configure: (app: NestFastifyApplication) => connectMessageHandlers(app, 'sessions'),
};
