import { hostServices } from '@gate/service-app';
import { directoryService } from '../../services/directory/src/directory.service';
import { loginService } from '../../services/login/src/login.service';
import { sessionsService } from '../../services/sessions/src/sessions.service';
import { verifyService } from '../../services/verify/src/verify.service';

// One process for small hosts: SERVICES (default all four) names the services it hosts, each a
// separate Nest app on its own port with its own NATS user; `<SERVICE>_NAME` variables are that
// service's own settings (e.g. VERIFY_NATS_NKEY_SEED_FILE, LOGIN_HTTP_PORT).
const DEFINITIONS = { directory: directoryService, sessions: sessionsService, login: loginService, verify: verifyService };
type Name = keyof typeof DEFINITIONS;

const names = (process.env.SERVICES ?? 'directory,sessions,login,verify').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = names.filter((n) => !(n in DEFINITIONS));
if (unknown.length > 0 || names.length === 0) {
  process.stderr.write(`gate cannot start: SERVICES must list some of ${Object.keys(DEFINITIONS).join(', ')}; got ${JSON.stringify(process.env.SERVICES)}\n`);
  process.exit(1);
}
hostServices(names.map((n) => DEFINITIONS[n as Name])).catch((error: Error) => {
  process.stderr.write(`gate cannot start. ${error.message}\n`);
  process.exit(1);
});
