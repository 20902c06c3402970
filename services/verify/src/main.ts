import { bootstrapService } from '@gate/service-app';
import { verifyService } from './verify.service';

void bootstrapService(verifyService);
