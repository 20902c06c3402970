/**
 * verify benchmark (not a test):  npm run bench:verify
 *
 * Allowed-request throughput and latency at 50 connections on /verify, as a ratio of a raw
 * node:http hello-world sent the same requests, alternating runs with it (see `compare`), for 10 and
 * 100k sessions with 10 and 5k rules. Verify runs as production runs it: the webpack bundle
 * (`nest build verify`, done first unless SKIP_BUILD=1) in its own process, loading its state by
 * replaying JetStream, which the bench seeds beforehand. Reported per state: req/s, p50/p99, the
 * server's CPU time per request (verify's and the baseline's, from /proc), the time from process
 * start to ready (the replay), RSS after the load and peak RSS.
 *
 * Then what serving the route ahead of fastify buys: the same decision on `/verify`, on
 * `/verify-fastify` (a fastify route, as verify had it before) and on `/verify-nest` (an ordinary
 * Nest controller, as it had it first), in one process (from source).
 *
 * Needs a nats-server binary (starts its own). DURATION=5 seconds per run and ROUNDS=3 by default.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { TestNatsServer } from '../test/support/nats-server';
import { freePort } from '../test/support/ports';
import { seedStreams } from './verify-seed';

const DURATION = Number(process.env.DURATION ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = 50;
const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist/services/verify/main.js');
const BASELINE = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end('hello'); }).listen(Number(process.env.HTTP_PORT), '127.0.0.1')`;
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const print = (row: string) => process.stdout.write(`${row}\n`);

/** The node flags docker-compose.yml gives verify, so that the bench runs it as it is deployed. */
function deployedNodeOptions(): string {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const found = /SERVICE: verify\n(?:[ \t]+(?:#.*|\w+: .*)\n)*?[ \t]+NODE_OPTIONS: (.+)\n/.exec(compose);
  if (!found) throw new Error("docker-compose.yml gives verify no NODE_OPTIONS: update the bench with how verify is run");
  return found[1].trim();
}

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
  /** The server's CPU time (user + system) per request, in µs. */
  cpuUs: number;
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

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time the process has used (user + system), in µs, from /proc (fields 14 and 15 of stat). */
function cpuUsOf(server: Server): number {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** Loads `path` with the request Traefik would send (the baseline gets the very same one and ignores it). */
async function load(server: Server, path: string, cookie: string, duration = DURATION): Promise<Load> {
  const cpuBefore = cpuUsOf(server);
  const headers = { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/dashboard?tab=1', accept: 'text/html', cookie: `theme=dark; ${cookie}` };
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}${path}`, connections: CONNECTIONS, duration, headers });
  if (result.non2xx > 0 || result['2xx'] === 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors: the request was not allowed`);
  const cpuUs = (cpuUsOf(server) - cpuBefore) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

/** A measured target next to the baseline runs around it. */
interface Compared {
  /** The target's median round. */
  load: Load;
  /** Median over rounds of target / mean of the baseline runs just before and after it. */
  ratio: number;
  /** The baseline runs (b t b … b), to show how much the machine drifted. */
  baseline: Load[];
}

/** The middle item by `key` (the upper one of an even count). */
const medianBy = <T>(items: T[], key: (item: T) => number): T => [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];

/**
 * Alternates baseline and target runs (b t b t … b) so that both see the same machine: on a shared
 * machine the baseline alone drifts by tens of percent within a minute, and a ratio of runs taken
 * minutes apart measures the drift, not the code.
 */
async function compare(base: Server, target: Server, path: string, cookie: string): Promise<Compared> {
  await load(target, path, cookie, 2); // warm-up
  const baselineRuns = [await load(base, '/verify', cookie)];
  const runs: Load[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    runs.push(await load(target, path, cookie));
    baselineRuns.push(await load(base, '/verify', cookie));
  }
  const ratios = runs.map((r, i) => r.rps / ((baselineRuns[i].rps + baselineRuns[i + 1].rps) / 2));
  return { load: medianBy(runs, (r) => r.rps), ratio: medianBy(ratios, (r) => r), baseline: baselineRuns };
}

const row = (label: string, c: Compared) =>
  `${label.padEnd(36)} ${c.load.rps.toFixed(0).padStart(7)} req/s  p50 ${c.load.p50} ms  p99 ${c.load.p99} ms  ${(100 * c.ratio).toFixed(1).padStart(5)}% of baseline` +
  `  server CPU ${c.load.cpuUs.toFixed(1)} µs/request (baseline ${medianBy(c.baseline, (b) => b.cpuUs).cpuUs.toFixed(1)})` +
  `  (baseline req/s ${c.baseline.map((b) => b.rps.toFixed(0)).join(', ')})`;

async function main(): Promise<void> {
  if (process.env.SKIP_BUILD !== '1') {
    const build = spawnSync('npx', ['nest', 'build', 'verify'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('nest build verify failed');
  }
  const nodeOptions = deployedNodeOptions();
  const nats = await TestNatsServer.start();
  // The hello-world answers 200 on every path, /readyz included, so startServer's wait works for it.
  const base = await startServer(['-e', BASELINE], {});
  try {
    const sample = await seedStreams(nats.url, 10, 10);
    await load(base, '/verify', sample.cookie, 2); // warm-up
    print(`${ROUNDS} rounds of ${DURATION} s per target, each between two baseline runs; the median round is shown`);
    print(`\nwebpack bundle, state replayed from JetStream, NODE_OPTIONS=${nodeOptions} (as docker-compose.yml runs it)`);
    const ratios: number[] = [];
    for (const [sessions, rules] of [[10, 10], [100_000, 10], [10, 5_000], [100_000, 5_000]]) {
      const seeded = await seedStreams(nats.url, sessions, rules);
      const server = await startServer([BUNDLE], { ...seeded.env, NODE_OPTIONS: nodeOptions });
      const result = await compare(base, server, '/verify', seeded.cookie);
      const memory = memoryOf(server);
      ratios.push(result.ratio);
      print(`${row(`verify ${String(sessions).padStart(6)} sessions ${String(rules).padStart(4)} rules`, result)}  ready in ${server.readyMs} ms  rss ${memory.rss.toFixed(0)} MB (peak ${memory.peak.toFixed(0)} MB)`);
      await stop(server);
    }
    print(`drop small -> large state: ${((100 * (ratios[0] - ratios[3])) / ratios[0]).toFixed(1)}% (of the ratios to the baseline)`);

    const seeded = await seedStreams(nats.url, 10, 10);
    const both = await startServer(['-r', '@swc-node/register', join(__dirname, 'verify-nest-route.ts')], { ...seeded.env, NODE_OPTIONS: nodeOptions });
    print(`\none process from source, 10 sessions, 10 rules`);
    const direct = await compare(base, both, '/verify', seeded.cookie);
    print(row('/verify ahead of fastify', direct));
    const viaFastify = await compare(base, both, '/verify-fastify', seeded.cookie);
    print(row('/verify-fastify, a fastify route', viaFastify));
    const viaNest = await compare(base, both, '/verify-nest', seeded.cookie);
    print(row('/verify-nest, a Nest controller', viaNest));
    await stop(both);
    print(`ahead of fastify: ${(direct.ratio / viaFastify.ratio).toFixed(2)}x a fastify route, ${(direct.ratio / viaNest.ratio).toFixed(2)}x a Nest controller`);
  } finally {
    await stop(base);
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
