/**
 * The whole gate on this machine, without Docker:  npm run demo  (`-- --fresh` to start over)
 *
 * PostgreSQL (DATABASE_URL, or an embedded one), a private nats-server with the production users
 * and permissions, a development OpenID provider with a page to pick a demo user, the four
 * services in the all-in-one process, a demo app, and a forward-auth front (Caddy when installed,
 * else a built-in one) on http://*.gate.localhost:DEMO_PORT (8080). State lives in `.demo/`.
 * Ctrl-C stops everything it started.
 */
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_FILES, writeFirstStartSecrets } from '@gate/secrets';
import { freePort } from '../test/support/ports';
import { startDatabase } from './database';
import { startDemoApp } from './demo-app';
import { startFront } from './front';
import { DEMO_USERS, startIdentityProvider } from './identity-provider';
import { findNatsServer, startNats } from './nats';
import { seedDemo } from './seed';
import { startGate } from './gate-process';

const ROOT = join(__dirname, '..');
const DIR = process.env.DEMO_DIR ?? join(ROOT, '.demo');
const DOMAIN = 'gate.localhost';
const PORT = Number(process.env.DEMO_PORT ?? 8080);
const say = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const natsBin = findNatsServer();
  if (!natsBin) {
    say('The demo needs nats-server: install it (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server) or set NATS_SERVER_BIN.');
    process.exit(1);
  }
  if (process.argv.includes('--fresh')) rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const secrets = join(DIR, 'secrets');
  writeFirstStartSecrets(secrets, { hostPort: '127.0.0.1', user: 'gate', database: 'gate' });
  const read = (file: string) => readFileSync(join(secrets, file), 'utf8').trim();
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  try {
    const [pgPort, natsPort, monitorPort, idpPort, appPort] = await Promise.all(Array.from({ length: 5 }, freePort));
    const db = await startDatabase(DIR, Number(process.env.DEMO_PG_PORT ?? pgPort), read(SECRET_FILES.databasePassword));
    stops.push(() => db.stop());
    const nats = await startNats(natsBin, DIR, natsPort, join(secrets, SECRET_FILES.natsUsers), monitorPort);
    stops.push(() => nats.stop());
    const authUrl = `http://auth.${DOMAIN}:${PORT}`;
    const idp = await startIdentityProvider(idpPort, `${authUrl}/callback`);
    stops.push(() => idp.close());
    const gate = await startGate({ root: ROOT, dir: DIR, secrets, natsUrl: nats.url, databaseUrl: db.url, authUrl, domain: DOMAIN, provider: idp, log: createWriteStream(join(DIR, 'gate.log'), { flags: 'a' }) });
    stops.push(() => gate.stop());
    const app = await startDemoApp(appPort, `http://127.0.0.1:${gate.ports.verify}/.well-known/jwks.json`, authUrl);
    stops.push(() => app.close());
    await seedDemo(`http://127.0.0.1:${gate.ports.directory}`, read(SECRET_FILES.adminToken), DOMAIN);
    const front = await startFront({ port: PORT, domain: DOMAIN, gated: ['app', 'admin'], upstreams: { ...gate.ports, app: appPort }, dir: DIR, builtin: process.env.DEMO_FRONT === 'builtin' });
    stops.push(() => front.close());
    say(`The gate is up (${db.kind}, nats-server, ${front.kind} as the forward-auth front; logs in ${join(DIR, 'gate.log')}).`);
    say();
    say(`  http://app.${DOMAIN}:${PORT}/      an app behind the gate (staff and admins)`);
    say(`  http://app.${DOMAIN}:${PORT}/public anyone, without signing in`);
    say(`  http://admin.${DOMAIN}:${PORT}/    admins only`);
    say(`  ${authUrl}/sessions    your sessions`);
    say();
    say(`Sign in as ${DEMO_USERS.map((u) => `${u.name} (${u.note})`).join('; ')}.`);
    say(`Admin API: curl -H "Authorization: Bearer ${read(SECRET_FILES.adminToken)}" ${authUrl}/api/directory/rules`);
    say('Ctrl-C stops everything.');
  } catch (error) {
    process.stderr.write(`The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

void main();
