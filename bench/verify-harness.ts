/**
 * What the verify benchmarks share (not a test): starting a server process and waiting until it is
 * ready, loading it with the request Traefik would send, and reading its CPU time and RSS from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/ports';
import { forwardedHeaders } from './verify-seed';

const CONNECTIONS = 50;
const ROOT = join(__dirname, '..');
export const BUNDLE = join(ROOT, 'dist/services/verify/main.js');
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
export const print = (row: string) => process.stdout.write(`${row}\n`);

/** The middle item by `key` (the upper one of an even count). */
export const medianBy = <T>(items: T[], key: (item: T) => number): T => [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];

/** Runs a bench's main and exits: 0 when it finished, 1 with the error when it failed (servers are killed on exit). */
export function runBench(main: () => Promise<void>): void {
  void main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** Builds verify's bundle, unless SKIP_BUILD=1. */
export function buildBundle(): void {
  if (process.env.SKIP_BUILD === '1') return;
  const build = spawnSync('npx', ['nest', 'build', 'verify'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('nest build verify failed');
}

/** The node flags docker-compose.yml gives verify, so that the bench runs it as it is deployed. */
export function deployedNodeOptions(): string {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const found = /SERVICE: verify\n(?:[ \t]+(?:#.*|\w+: .*)\n)*?[ \t]+NODE_OPTIONS: (.+)\n/.exec(compose);
  if (!found) throw new Error("docker-compose.yml gives verify no NODE_OPTIONS: update the bench with how verify is run");
  return found[1].trim();
}

export interface Server {
  child: ChildProcess;
  port: number;
  /** From process start until /readyz answered 200. */
  readyMs: number;
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** The server's CPU time (user + system) per request, in µs. */
  cpuUs: number;
}

export async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
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
export function memoryOf(server: Server): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

export async function stop(server: Server): Promise<void> {
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
export async function load(server: Server, path: string, cookie: string, duration: number): Promise<Load> {
  const cpuBefore = cpuUsOf(server);
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}${path}`, connections: CONNECTIONS, duration, headers: forwardedHeaders(cookie) });
  if (result.non2xx > 0 || result['2xx'] === 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors: the request was not allowed`);
  const cpuUs = (cpuUsOf(server) - cpuBefore) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

