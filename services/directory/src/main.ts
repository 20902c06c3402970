import { bootstrapService } from '@gate/service-app';
import { directoryService } from './directory.service';

void bootstrapService(directoryService);
