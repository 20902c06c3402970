import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';

const CANDIDATES = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** A nats-server with JetStream that a test owns: its own spare port and store directory. */
export class TestNatsServer {
  private child: ChildProcess | null = null;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'nats-js-'));

  private constructor(
    readonly port: number,
    private readonly monitorPort: number | null,
  ) {}

  /** Starts a server on a free loopback port and waits until it accepts connections. */
  static async start(opts: { monitor?: boolean } = {}): Promise<TestNatsServer> {
    const server = new TestNatsServer(await freePort(), opts.monitor ? await freePort() : null);
    await server.resume();
    return server;
  }

  /** How many client connections the server has open (needs `start({ monitor: true })`). */
  async connectionCount(): Promise<number> {
    if (this.monitorPort === null) throw new Error('started without monitoring');
    const res = await fetch(`http://127.0.0.1:${this.monitorPort}/connz`);
    return ((await res.json()) as { num_connections: number }).num_connections;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and store, so JetStream keeps its streams. */
  async resume(): Promise<void> {
    const bin = CANDIDATES.find((c) => c && existsSync(c)) ?? 'nats-server';
    const monitor = this.monitorPort === null ? [] : ['-m', String(this.monitorPort)];
    this.child = spawn(bin, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir, ...monitor], { stdio: 'ignore' });
    await waitForPort(this.port, 10_000);
  }

  /** Stops the server and waits for the process to exit. */
  async pause(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  /** Stops the server and removes its store. */
  async destroy(): Promise<void> {
    await this.pause();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
