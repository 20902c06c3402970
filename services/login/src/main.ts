import { bootstrapService } from '@gate/service-app';
import { loginService } from './login.service';

void bootstrapService(loginService);
