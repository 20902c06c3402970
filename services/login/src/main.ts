import { bootstrapService } from '@gate/observability';
import { loginConfigSchema } from './config';
import { LoginModule } from './login.module';

void bootstrapService({ service: 'login', configSchema: loginConfigSchema, module: LoginModule });
