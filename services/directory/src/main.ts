import { bootstrapService } from '@gate/observability';
import { directoryService } from './directory.service';

void bootstrapService(directoryService);
