/**
 * verify benchmark (not a test):  npm run bench:verify
 *
 * Allowed-request throughput and latency at 50 connections on /verify, as a ratio of a raw
 * node:http hello-world sent the same requests in the same run (before and after, to show drift), for 10 and
 * 100k sessions with 10 and 5k rules. Verify runs as production runs it: the webpack bundle
 * (`nest build verify`, done first unless SKIP_BUILD=1) in its own process, loading its state by
 * replaying JetStream, which the bench seeds beforehand. Reported per state: req/s, p50/p99, the
 * time from process start to ready (the replay), RSS after the load and peak RSS.
 *
 * Then what serving the route ahead of fastify buys: the same decision on `/verify`, on
 * `/verify-fastify` (a fastify route, as verify had it before) and on `/verify-nest` (an ordinary
 * Nest controller, as it had it first), in one process (from source).
 *
 * Needs a nats-server binary (starts its own). DURATION=10 seconds per measured run by default.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { TestNatsServer } from '../test/support/nats-server';
import { freePort } from '../test/support/ports';
import { seedStreams } from './verify-seed';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = 50;
const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist/services/verify/main.js');
const BASELINE = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end('hello'); }).listen(Number(process.env.HTTP_PORT), '127.0.0.1')`;
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const print = (row: string) => process.stdout.write(`${row}\n`);

interface Server {
  child: ChildProcess;
  port: number;
  /** From process start until /readyz answered 200. */
  readyMs: number;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
}

async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, HTTP_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  let exited = false;
  child.once('exit', () => ((exited = true), children.delete(child)));
  for (;;) {
    if (exited) throw new Error(`server ${args.join(' ')} exited before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return { child, port, readyMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** RSS now and at its peak, in MB. */
function memoryOf(server: Server): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

async function stop(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
}

/** Loads `path` with the request Traefik would send (the baseline gets the very same one and ignores it). */
async function load(port: number, path: string, cookie: string): Promise<Load> {
  const headers = { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/dashboard?tab=1', accept: 'text/html', cookie: `theme=dark; ${cookie}` };
  const url = `http://127.0.0.1:${port}${path}`;
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (result.non2xx > 0 || result['2xx'] === 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors: the request was not allowed`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function baseline(cookie: string): Promise<Load> {
  // The hello-world answers 200 on every path, /readyz included, so startServer's wait works for it.
  const server = await startServer(['-e', BASELINE], {});
  const result = await load(server.port, '/verify', cookie);
  await stop(server);
  return result;
}

const row = (label: string, r: Load, base: number) =>
  `${label.padEnd(36)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${((100 * r.rps) / base).toFixed(1).padStart(5)}% of baseline`;

async function main(): Promise<void> {
  if (process.env.SKIP_BUILD !== '1') {
    const build = spawnSync('npx', ['nest', 'build', 'verify'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('nest build verify failed');
  }
  const nats = await TestNatsServer.start();
  try {
    const sample = await seedStreams(nats.url, 10, 10);
    const before = await baseline(sample.cookie);
    print(`baseline node:http (before)         ${before.rps.toFixed(0).padStart(7)} req/s  p50 ${before.p50} ms  p99 ${before.p99} ms`);
    const measured: { label: string; load: Load; memory: { rss: number; peak: number }; readyMs: number }[] = [];
    for (const [sessions, rules] of [[10, 10], [100_000, 10], [10, 5_000], [100_000, 5_000]]) {
      const seeded = await seedStreams(nats.url, sessions, rules);
      const server = await startServer([BUNDLE], seeded.env);
      const result = await load(server.port, '/verify', seeded.cookie);
      measured.push({ label: `verify ${String(sessions).padStart(6)} sessions ${String(rules).padStart(4)} rules`, load: result, memory: memoryOf(server), readyMs: server.readyMs });
      await stop(server);
    }

    const seeded = await seedStreams(nats.url, 10, 10);
    const both = await startServer(['-r', '@swc-node/register', join(__dirname, 'verify-nest-route.ts')], seeded.env);
    const direct = await load(both.port, '/verify', seeded.cookie);
    const viaFastify = await load(both.port, '/verify-fastify', seeded.cookie);
    const viaNest = await load(both.port, '/verify-nest', seeded.cookie);
    await stop(both);

    const after = await baseline(sample.cookie);
    print(`baseline node:http (after)          ${after.rps.toFixed(0).padStart(7)} req/s  p50 ${after.p50} ms  p99 ${after.p99} ms`);
    const base = (before.rps + after.rps) / 2;
    print(`\nwebpack bundle, state replayed from JetStream; % of the baselines' mean (${base.toFixed(0)} req/s)`);
    for (const m of measured) print(`${row(m.label, m.load, base)}  ready in ${m.readyMs} ms  rss ${m.memory.rss.toFixed(0)} MB (peak ${m.memory.peak.toFixed(0)} MB)`);
    const small = measured[0].load.rps;
    const large = measured[measured.length - 1].load.rps;
    print(`drop small -> large state: ${((100 * (small - large)) / small).toFixed(1)}%`);
    print(`\none process from source, 10 sessions, 10 rules`);
    print(row('/verify ahead of fastify', direct, base));
    print(row('/verify-fastify, a fastify route', viaFastify, base));
    print(row('/verify-nest, a Nest controller', viaNest, base));
    print(`ahead of fastify: ${(direct.rps / viaFastify.rps).toFixed(2)}x a fastify route, ${(direct.rps / viaNest.rps).toFixed(2)}x a Nest controller`);
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
