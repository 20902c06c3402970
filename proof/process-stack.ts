/**
 * The gate as production runs it, for benchmarks and proofs (not a test): the built bundles as
 * separate processes (directory, sessions, N verify replicas) on one NATS with the deployed
 * configuration and PostgreSQL schemas of their own. With BASELINE_DIST set to another build's
 * `dist` folder, that build runs instead, on an anonymous NATS (builds from before the bus had
 * users), so that two versions can be measured by the same script.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAssertionKey } from '@gate/identity-assertion';
import type { BusUser } from '@gate/messaging';
import { parseKeyring, type Keyring } from '@gate/session-token';
import { natsServerBin, TestNatsServer } from '../test/support/nats-server';
import { freePort, waitForPort } from '../test/support/ports';
import { sql, TEST_DATABASE_URL } from '../test/support/postgres';
import { TestTcpProxy } from '../test/support/tcp-proxy';

const ROOT = join(__dirname, '..');
const DIST = process.env.BASELINE_DIST ?? join(ROOT, 'dist');
/** True when measuring another build (BASELINE_DIST): no NATS users, as before the bus had them. */
export const BASELINE = process.env.BASELINE_DIST !== undefined;

/** One service process of the stack; `restart` starts it again on the same port (after a kill, say). */
export interface RunningService {
  readonly name: 'directory' | 'sessions' | 'verify';
  readonly port: number;
  child: ChildProcess;
  /** Stops the process with `signal` and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (same port, same settings); `waitReady` false returns as soon as it runs. */
  restart(options?: { waitReady?: boolean }): Promise<void>;
}

/** A running stack: its services, the session keys login would sign with, and how to stop it all. */
export interface ProcessStack {
  readonly natsUrl: string;
  readonly keyring: Keyring;
  readonly sessions: RunningService;
  readonly directory: RunningService;
  readonly verify: RunningService[];
  /** The admin API token of the directory. */
  readonly adminToken: string;
  /** The NATS server with its users (null for a baseline build, whose NATS has none). */
  readonly nats: TestNatsServer | null;
  /** Between the writers and PostgreSQL when asked for (`proxyDatabase`): `down()`, `up()`. */
  readonly database: TestTcpProxy | null;
  stop(): Promise<void>;
}

/** Starts the stack and resolves once every service answers 200 on /readyz. */
export async function startProcessStack(options: { verifyReplicas: number; verifyEnv?: Record<string, string>; proxyDatabase?: boolean }): Promise<ProcessStack> {
  const services: RunningService[] = [];
  const tag = randomBytes(3).toString('hex');
  const schemas = { directory: `bench_dir_${tag}`, sessions: `bench_ses_${tag}` };
  const sessionKeys = `k1:${randomBytes(32).toString('base64')}`;
  const adminToken = `gat_${randomBytes(32).toString('base64url')}`;
  const { natsUrl, nats, stopNats } = await startNats();
  const database = options.proxyDatabase ? await TestTcpProxy.start({ host: '127.0.0.1', port: Number(new URL(TEST_DATABASE_URL).port || 5432) }) : null;
  const databaseUrl = database ? database.url(TEST_DATABASE_URL) : TEST_DATABASE_URL;
  const natsEnv = (user: BusUser) => (nats ? nats.env(user) : { NATS_URL: natsUrl });
  const common = { HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'error', SESSION_KEYS: sessionKeys, AUTH_URL: 'https://auth.example.com' };

  const start = async (name: RunningService['name'], env: Record<string, string>): Promise<RunningService> => {
    const port = await freePort();
    const spawnIt = () =>
      spawn(process.execPath, [join(DIST, 'services', name, 'main.js')], {
        // The build's own project folder: its node_modules (MikroORM looks there from the cwd).
        cwd: join(DIST, '..'),
        env: { ...process.env, ...common, ...natsEnv(name), ...env, HTTP_PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    const service: RunningService = {
      name,
      port,
      child: spawnIt(),
      kill: (signal = 'SIGTERM') => stopChild(service.child, signal),
      async restart({ waitReady = true } = {}) {
        await service.kill();
        service.child = spawnIt();
        if (waitReady) await waitForReady(port, service.child, name);
      },
    };
    services.push(service);
    await waitForReady(port, service.child, name);
    return service;
  };

  const stopAll = async () => {
    await Promise.all(services.map((s) => s.kill()));
    await stopNats();
    await database?.close();
    for (const schema of Object.values(schemas)) await sql(`drop schema if exists "${schema}" cascade`);
  };
  try {
    const db = { DATABASE_URL: databaseUrl };
    const [directory, sessions] = await Promise.all([
      start('directory', { ...db, DATABASE_SCHEMA: schemas.directory, ADMIN_TOKEN: adminToken }),
      start('sessions', { ...db, DATABASE_SCHEMA: schemas.sessions }),
    ]);
    const verifyEnv = { ASSERTION_KEYS: JSON.stringify([generateAssertionKey('b1')]), NODE_OPTIONS: '--max-semi-space-size=8', ...options.verifyEnv };
    const verify = await Promise.all(Array.from({ length: options.verifyReplicas }, () => start('verify', verifyEnv)));
    return { natsUrl, keyring: parseKeyring(sessionKeys), sessions, directory, verify, adminToken, nats, database, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function startNats(): Promise<{ natsUrl: string; nats: TestNatsServer | null; stopNats: () => Promise<void> }> {
  if (!BASELINE) {
    const nats = await TestNatsServer.start();
    return { natsUrl: nats.url, nats, stopNats: () => nats.destroy() };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nats-open-'));
  const child = spawn(natsServerBin(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
  await waitForPort(port, 10_000);
  const stopNats = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  };
  return { natsUrl: `nats://127.0.0.1:${port}`, nats: null, stopNats };
}

async function waitForReady(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready`);
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} was not ready within 60 s`);
}
