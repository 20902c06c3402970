import { bootstrapService } from '@gate/observability';
import { loginService } from './login.service';

void bootstrapService(loginService);
