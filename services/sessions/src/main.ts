import { bootstrapService } from '@gate/observability';
import { sessionsConfigSchema } from './config';
import { SessionsModule } from './sessions.module';

void bootstrapService({ service: 'sessions', configSchema: sessionsConfigSchema, module: SessionsModule });
