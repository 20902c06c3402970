import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './front';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server', '/opt/homebrew/bin/nats-server'];

/** The nats-server binary (NATS_SERVER_BIN when set), or null when there is none (the demo then says how to install it). */
export function findNatsServer(): string | null {
  const given = process.env.NATS_SERVER_BIN;
  if (given) return existsSync(given) ? given : null;
  const found = CANDIDATES.find((c) => existsSync(c));
  if (found) return found;
  return spawnSync('nats-server', ['--version']).status === 0 ? 'nats-server' : null;
}

/**
 * A private nats-server with JetStream for the demo, from the deployed configuration
 * (`deploy/nats/nats.conf`: the same users and permissions as production, from the demo's
 * secrets), its store in `<dir>/nats`, listening on 127.0.0.1:`port` only.
 */
export async function startNats(bin: string, dir: string, port: number, usersConf: string, monitorPort: number): Promise<{ url: string; stop(): Promise<void> }> {
  const root = join(dir, 'nats');
  mkdirSync(join(root, 'auth'), { recursive: true });
  copyFileSync(usersConf, join(root, 'auth', 'users.conf'));
  const conf = readFileSync(join(__dirname, '../deploy/nats/nats.conf'), 'utf8').replace(/store_dir: .*/, `store_dir: ${JSON.stringify(join(root, 'data'))}`);
  writeFileSync(join(root, 'nats.conf'), conf);
  const child: ChildProcess = spawn(bin, ['-c', join(root, 'nats.conf'), '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nats-server exited (${child.exitCode}): is port ${port} free?`);
    if (await fetch(`http://127.0.0.1:${monitorPort}/healthz`).then((r) => r.ok, () => false)) return { url: `nats://127.0.0.1:${port}`, stop: () => stopChild(child) };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error('nats-server did not start within 10 s');
}
