import { loginConfigSchema } from './config';
import { LoginModule } from './login.module';

/** The login service as `bootstrapService`/`startService` start it. */
export const loginService = { service: 'login', configSchema: loginConfigSchema, module: LoginModule };
