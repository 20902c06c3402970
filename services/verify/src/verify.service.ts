import { verifyConfigSchema } from './config';
import { VerifyModule } from './verify.module';

/** The verify service as `bootstrapService`/`startService` start it. */
export const verifyService = { service: 'verify', configSchema: verifyConfigSchema, module: VerifyModule };
