/**
 * Idle memory benchmark (not a test):  npm run bench:idle-memory
 *
 * The resident memory (RSS) of each service bundle started alone, of the all-in-one process
 * hosting all four, and of the smallest NestJS app on fastify built the same way (the baseline),
 * each after SETTLE_MS (10 s) idle once ready, in one run on this machine. Real NATS (the deployed
 * configuration) and PostgreSQL; login with a real (test) OpenID provider it has discovered.
 * Targets (issue "Run it as its users do"): each service ≤ 1.2× the baseline, the all-in-one ≤ 150 MB.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAssertionKey } from '@gate/identity-assertion';
import { TestNatsServer } from '../test/support/nats-server';
import { TestOidcProvider } from '../test/support/oidc-provider';
import { freePort } from '../test/support/ports';
import { sql, TEST_DATABASE_URL } from '../test/support/postgres';
import { print, runBench } from './verify-harness';

const ROOT = join(__dirname, '..');
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 10_000);
type Service = 'directory' | 'sessions' | 'login' | 'verify';

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function measure(label: string, args: string[], env: Record<string, string>, readyPorts: number[]): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label} exited before it was ready`);
      if (Date.now() > deadline) throw new Error(`${label} was not ready within 60 s`);
      const ready = await Promise.all(readyPorts.map((p) => fetch(`http://127.0.0.1:${p}/readyz`).then((r) => r.ok, () => false)));
      if (ready.every(Boolean)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return rssMb(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

async function main() {
  if (process.env.SKIP_BUILD !== '1') {
    for (const project of ['verify', 'login', 'directory', 'sessions', 'all-in-one', 'bench-nest-hello']) {
      if (spawnSync('npx', ['nest', 'build', project], { cwd: ROOT, stdio: 'ignore' }).status !== 0) throw new Error(`nest build ${project} failed`);
    }
  }
  const nats = await TestNatsServer.start();
  const tag = randomBytes(3).toString('hex');
  const ports = Object.fromEntries(await Promise.all((['directory', 'sessions', 'login', 'verify'] as const).map(async (s) => [s, await freePort()]))) as Record<Service, number>;
  const authUrl = `http://127.0.0.1:${ports.login}`;
  const op = await TestOidcProvider.start({ redirectUris: [`${authUrl}/callback`] });
  const common = { HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'error', SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`, AUTH_URL: authUrl, NODE_ENV: 'production' };
  const own: Record<Service, Record<string, string>> = {
    directory: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: `idle_dir_${tag}`, ADMIN_TOKEN: `gat_${randomBytes(32).toString('base64url')}` },
    sessions: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: `idle_ses_${tag}` },
    login: {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: `idle_login_${tag}`,
      COOKIE_DOMAINS: 'example.test',
      DEFAULT_REDIRECT_URL: 'https://home.example.test/',
      OIDC_ALLOW_INSECURE_ISSUER: 'true',
      OIDC_PROVIDERS: JSON.stringify([{ id: 'test', name: 'Test', preset: 'oidc', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret }]),
    },
    verify: { ASSERTION_KEYS: JSON.stringify([generateAssertionKey('idle')]), NODE_OPTIONS: '--max-semi-space-size=8' },
  };
  const rows: [string, number][] = [];
  try {
    const helloPort = await freePort();
    const baseline = await measure('nest hello-world', [join(ROOT, 'dist/bench/nest-hello/main.js')], { HTTP_PORT: String(helloPort) }, [helloPort]);
    rows.push(['NestJS hello-world (fastify, same build)', baseline]);
    // The writers first: verify waits for their streams and heads. They run again for verify's turn.
    for (const service of ['directory', 'sessions', 'login'] as const) {
      rows.push([service, await measure(service, [join(ROOT, `dist/services/${service}/main.js`)], { ...common, ...nats.env(service), ...own[service], HTTP_PORT: String(ports[service]) }, [ports[service]])]);
    }
    const allEnv: Record<string, string> = { ...common, NATS_URL: nats.url };
    for (const service of Object.keys(own) as Service[]) {
      for (const [name, value] of Object.entries({ ...own[service], HTTP_PORT: String(ports[service]), NATS_NKEY_SEED: nats.keys[service].seed })) if (name !== 'NODE_OPTIONS') allEnv[`${service.toUpperCase()}_${name}`] = value;
    }
    const all = await measure('all-in-one', [join(ROOT, 'dist/deploy/all-in-one/main.js')], allEnv, Object.values(ports));
    // verify alone needs the writers' heads: the all-in-one's services announce them only while it
    // runs, so verify is measured with the other three hosted by an all-in-one beside it.
    const writers = spawn(process.execPath, [join(ROOT, 'dist/deploy/all-in-one/main.js')], { cwd: ROOT, env: { ...process.env, ...allEnv, SERVICES: 'directory,sessions,login' }, stdio: 'ignore' });
    try {
      rows.push(['verify', await measure('verify', [join(ROOT, 'dist/services/verify/main.js')], { ...common, ...nats.env('verify'), ...own.verify, HTTP_PORT: String(ports.verify) }, [ports.verify])]);
    } finally {
      writers.kill('SIGTERM');
      await new Promise((r) => writers.once('exit', r));
    }
    rows.push(['all-in-one (all four services)', all]);
    print(`idle RSS after ${SETTLE_MS / 1000} s ready, node ${process.version}, this machine`);
    for (const [label, mb] of rows) print(`${label.padEnd(42)} ${mb.toFixed(1).padStart(6)} MB  ${(mb / baseline).toFixed(2)}x the hello-world`);
  } finally {
    await op.close();
    await nats.destroy();
    for (const schema of [own.directory.DATABASE_SCHEMA, own.sessions.DATABASE_SCHEMA, own.login.DATABASE_SCHEMA]) await sql(`drop schema if exists "${schema}" cascade`);
  }
}

runBench(main);
