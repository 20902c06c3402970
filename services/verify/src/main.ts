import { bootstrapService } from '@gate/observability';
import { verifyConfigSchema } from './config';
import { VerifyModule } from './verify.module';

void bootstrapService({ service: 'verify', configSchema: verifyConfigSchema, module: VerifyModule });
