import { bootstrapService } from '@gate/observability';
import { verifyService } from './verify.service';

void bootstrapService(verifyService);
