import { connectMessageHandlers } from '@gate/messaging';
import { bootstrapService } from '@gate/observability';
import { sessionsConfigSchema } from './config';
import { SessionsModule } from './sessions.module';

void bootstrapService({
  service: 'sessions',
  configSchema: sessionsConfigSchema,
  module: SessionsModule,
  configure: (app, config) => connectMessageHandlers(app, { servers: config.NATS_URL, service: 'sessions' }),
});
