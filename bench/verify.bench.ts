/**
 * verify benchmark (not a test):  npm run bench:verify
 * Allowed-request throughput and latency at 50 connections against /verify, next to a raw
 * node:http hello-world measured in the same run: 10 and 100k sessions, 10 and 5k rules. Each
 * server runs in its own child process (autocannon runs here). Then the replay: how long a fresh
 * verify takes to become ready from REPLAY_SESSIONS session events + REPLAY_RULES rules on JetStream.
 * Needs a nats-server binary (starts its own).  DURATION=10 (seconds per run) by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { loadConfig } from '@gate/config';
import { generateAssertionKey } from '@gate/identity-assertion';
import { connectNats, ensureStreams } from '@gate/messaging';
import { createServiceApp, JsonLogger } from '@gate/observability';
import { verifyConfigSchema } from '../services/verify/src/config';
import { VerifyModule } from '../services/verify/src/verify.module';
import { VerifyRuntime } from '../services/verify/src/verify-runtime';
import { TestNatsServer } from '../test/support/nats-server';

const DURATION = Number(process.env.DURATION ?? 10);
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const print = (row: string) => process.stdout.write(`${row}\n`);
const CONNECTIONS = 50;

interface Server {
  child: ChildProcess;
  port: number;
  cookie: string;
  rssMb: number;
  loadMs?: number;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--expose-gc', '-r', '@swc-node/register', join(__dirname, 'verify-bench-server.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

async function stop(server: Server): Promise<number> {
  const rss = await rssOf(server.child.pid!);
  server.child.removeAllListeners('exit');
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  return rss;
}

async function rssOf(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(server: Server, verify: boolean) {
  const headers = verify
    ? { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/dashboard?tab=1', accept: 'text/html', cookie: `theme=dark; ${server.cookie}` }
    : {};
  // warm-up, then the measured run
  await autocannon({ url: `http://127.0.0.1:${server.port}/verify`, connections: CONNECTIONS, duration: 2, headers });
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}/verify`, connections: CONNECTIONS, duration: DURATION, headers });
  if (result.non2xx > 0 || result['2xx'] === 0) throw new Error(`${result.non2xx} non-2xx answers: the request was not allowed`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function replay(natsUrl: string, sessions: number, rules: number) {
  const nc = await connectNats(natsUrl, 'bench-replay');
  const jsm = await nc.jetstreamManager();
  await ensureStreams(jsm, ['directory', 'sessions']);
  await jsm.streams.purge('AUTH_DIRECTORY');
  await jsm.streams.purge('AUTH_SESSIONS');
  const js = nc.jetstream();
  const env = (context: string, position: number, type: string, streamId: string, data: unknown) =>
    JSON.stringify({ id: randomUUID(), context, type, version: 1, streamId, streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'bench', correlationId: 'bench', data });
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  let pending: Promise<unknown>[] = [];
  const flush = async () => (await Promise.all(pending), (pending = []));
  for (let i = 1; i <= rules; i++) {
    pending.push(js.publish(`auth.directory.rule.r${i}`, env('directory', i, 'RuleDefined', `rule:r${i}`, { rule: { id: `r${i}`, priority: i % 200, host: `app${i}.example.com`, paths: ['/admin'], effect: 'allow', subjects: { groups: [`g${i % 50}`] } } })));
    if (pending.length >= 500) await flush();
  }
  for (let i = 1; i <= sessions; i++) {
    const sessionId = randomBytes(32).toString('base64url');
    const data = { sessionId, userId: `u${i}@example.com`, email: `u${i}@example.com`, name: `U ${i}`, groups: [], provider: 'bench', clientIp: null, userAgent: null, startedAt: new Date().toISOString(), expiresAt, idleTimeoutMs: null };
    pending.push(js.publish(`auth.sessions.session.${i}`, env('sessions', i, 'SessionStarted', `session:${sessionId}`, data)));
    if (pending.length >= 500) await flush();
  }
  await flush();
  await nc.close();

  const config = loadConfig(verifyConfigSchema, {
    NATS_URL: natsUrl,
    SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    AUTH_URL: 'https://auth.example.com',
    ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
  });
  const started = Date.now();
  const app = await createServiceApp({ service: 'verify', module: VerifyModule, config, logger: new JsonLogger({ service: 'verify', level: 'error', write: () => undefined }) });
  await app.init();
  const rt = app.get(VerifyRuntime);
  while (!rt.follower.ready) await new Promise((r) => setTimeout(r, 10));
  const readyMs = Date.now() - started;
  const counts = { sessions: rt.sessions.activeCount, rules: rt.directory.compiled?.rules.length ?? 0 };
  await app.close();
  return { readyMs, ...counts };
}

async function main(): Promise<void> {
  const nats = await TestNatsServer.start();
  try {
    const base = await startServer({ MODE: 'baseline' });
    const b = await load(base, false);
    const baseRss = await stop(base);
    print(`baseline node:http        ${b.rps.toFixed(0).padStart(7)} req/s  p50 ${b.p50} ms  p99 ${b.p99} ms  rss ${baseRss.toFixed(0)} MB`);
    const results: Record<string, number> = {};
    for (const [sessions, rules] of [[10, 10], [100_000, 10], [10, 5_000], [100_000, 5_000]]) {
      const server = await startServer({ NATS_URL: nats.url, SESSIONS: String(sessions), RULES: String(rules) });
      const r = await load(server, true);
      const rss = await stop(server);
      results[`${sessions}/${rules}`] = r.rps;
      print(
        `verify ${String(sessions).padStart(6)} sessions ${String(rules).padStart(4)} rules ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
          `${((100 * r.rps) / b.rps).toFixed(1)}% of baseline  rss ${rss.toFixed(0)} MB (load ${server.loadMs?.toFixed(0)} ms)`,
      );
    }
    const small = results['10/10'];
    const large = results['100000/5000'];
    print(`drop small -> large state: ${((100 * (small - large)) / small).toFixed(1)}%`);
    const rp = await replay(nats.url, Number(process.env.REPLAY_SESSIONS ?? 100_000), Number(process.env.REPLAY_RULES ?? 5_000));
    print(`replay to ready: ${rp.readyMs} ms for ${rp.sessions} sessions and ${rp.rules} rules from JetStream`);
  } finally {
    await nats.destroy();
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
