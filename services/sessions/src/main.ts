import { bootstrapService } from '@gate/service-app';
import { sessionsService } from './sessions.service';

void bootstrapService(sessionsService);
