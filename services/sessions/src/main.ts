import { bootstrapService } from '@gate/observability';
import { sessionsService } from './sessions.service';

void bootstrapService(sessionsService);
