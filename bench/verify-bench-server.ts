/**
 * Child process of `verify.bench.ts` (not run on its own): boots the real verify app (Nest on
 * fastify, the /verify route, metrics hooks) against the bench's NATS, loads SESSIONS sessions and
 * RULES rules through the same state-application code the stream follower uses, listens on a free
 * port and prints `{ port, cookie, rssMb }` on one line. MODE=baseline serves a raw node:http
 * hello-world instead.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { loadConfig } from '@gate/config';
import { directoryEvents, sessionsEvents } from '@gate/events';
import { generateAssertionKey } from '@gate/identity-assertion';
import { createServiceApp, JsonLogger } from '@gate/observability';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { verifyConfigSchema } from '../services/verify/src/config';
import { VerifyModule } from '../services/verify/src/verify.module';
import { VerifyRuntime } from '../services/verify/src/verify-runtime';

const SESSIONS = Number(process.env.SESSIONS ?? 10);
const RULES = Number(process.env.RULES ?? 10);

function envelope(context: 'sessions' | 'directory', position: number, type: string, streamId: string, data: unknown) {
  return { id: randomUUID(), context, type, version: 1, streamId, streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'bench', correlationId: 'bench', data };
}

async function baseline(): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ port, cookie: '', rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
  });
}

async function verify(): Promise<void> {
  const sessionKeys = `k1:${randomBytes(32).toString('base64')}`;
  const keyring = parseKeyring(sessionKeys);
  const config = loadConfig(verifyConfigSchema, {
    NATS_URL: process.env.NATS_URL!,
    SESSION_KEYS: sessionKeys,
    AUTH_URL: 'https://auth.example.com',
    ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '1',
    LOG_LEVEL: 'error',
  });
  const app = await createServiceApp({ service: 'verify', module: VerifyModule, config, logger: new JsonLogger({ service: 'verify', level: 'error', write: () => undefined }) });
  await app.init();
  const rt = app.get(VerifyRuntime);
  while (!rt.follower.ready) await new Promise((r) => setTimeout(r, 20));

  const started = process.hrtime.bigint();
  let position = 1_000_000;
  for (let i = 0; i < RULES; i++) {
    const rule = i === 0 ? { id: 'r0', priority: 100, host: 'app.example.com', effect: 'allow', subjects: { groups: ['staff'] } } : { id: `r${i}`, priority: i % 200, host: i % 10 === 0 ? `*.zone${i}.example.org` : `app${i}.example.com`, paths: ['/admin', '/api'], effect: i % 3 === 0 ? 'deny' : 'allow', subjects: { groups: [`g${i % 50}`] } };
    rt.directory.apply(directoryEvents.parse(envelope('directory', ++position, 'RuleDefined', `rule:r${i}`, { rule })));
  }
  rt.directory.apply(directoryEvents.parse(envelope('directory', ++position, 'MemberAdded', 'group:staff', { groupId: 'staff', member: 'user0@example.com' })));
  rt.directory.compileIfDirty();
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  let cookie = '';
  for (let i = 0; i < SESSIONS; i++) {
    const { token, sessionId } = issueSessionToken(keyring);
    if (i === 0) cookie = `gate_session=${token}`;
    const data = { sessionId, userId: `user${i}@example.com`, email: `user${i}@example.com`, name: `User ${i}`, groups: ['idp-users'], provider: 'bench', clientIp: null, userAgent: null, startedAt: new Date().toISOString(), expiresAt, idleTimeoutMs: null };
    rt.sessions.apply(sessionsEvents.parse(envelope('sessions', ++position, 'SessionStarted', `session:${sessionId}`, data)));
  }
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  global.gc?.();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port, cookie, loadMs, rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void (process.env.MODE === 'baseline' ? baseline() : verify());
