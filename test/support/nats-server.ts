import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUS_USERS, type BusUser, createNkey, natsAuthorizationConf, NatsLink, type NkeyCredential } from '@gate/messaging';
import { ClientNats } from '@nestjs/microservices';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { freePort, waitForPort } from './ports';

const CANDIDATES = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
const DEPLOYED_CONF = join(__dirname, '../../deploy/nats/nats.conf');

/** The nats-server binary, or a clear error saying how to get one (the tests cannot run without it). */
export function natsServerBin(): string {
  const found = CANDIDATES.find((c) => c && existsSync(c)) ?? (spawnSync('nats-server', ['--version']).status === 0 ? 'nats-server' : null);
  if (!found) throw new Error('nats-server not found: install it (Debian: apt-get install nats-server) or set NATS_SERVER_BIN to its path');
  return found;
}

/** Who a test connects as: a service's bus user, or `admin` (tests only: sets up and inspects). */
export type TestNatsUser = BusUser | 'admin';

/**
 * A nats-server with JetStream that a test owns: its own spare port and store directory, started
 * from the deployed configuration (`deploy/nats/nats.conf`) with freshly generated nkeys for every
 * bus user, so the tests run against the same authentication and permissions as production. An
 * `admin` user with every permission exists here only, for setting up and inspecting.
 */
export class TestNatsServer {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nats-js-'));
  readonly keys: Readonly<Record<TestNatsUser, NkeyCredential>>;

  private constructor(
    readonly port: number,
    private readonly monitorPort: number,
    usersConf?: string,
  ) {
    this.keys = Object.fromEntries([...BUS_USERS, 'admin'].map((u) => [u, createNkey()])) as Record<TestNatsUser, NkeyCredential>;
    const publicKeys = Object.fromEntries(BUS_USERS.map((u) => [u, this.keys[u].publicKey])) as Record<BusUser, string>;
    const admin = { publicKey: this.keys.admin.publicKey, comment: 'admin (tests only)', permissions: { publish: ['>'], subscribe: ['>'], allowResponses: false } };
    mkdirSync(join(this.dir, 'auth'));
    writeFileSync(join(this.dir, 'auth', 'users.conf'), usersConf ?? natsAuthorizationConf(publicKeys, [admin]));
    // The deployed file as it is, but for where JetStream stores (nats-server refuses -sd beside a store_dir).
    const conf = readFileSync(DEPLOYED_CONF, 'utf8').replace(/store_dir: .*/, `store_dir: ${JSON.stringify(join(this.dir, 'js'))}`);
    if (!conf.includes(this.dir)) throw new Error(`${DEPLOYED_CONF} no longer sets store_dir: update the test server`);
    writeFileSync(join(this.dir, 'nats.conf'), conf);
  }

  /**
   * Starts a server on a free loopback port and waits until it accepts connections. `usersConf`
   * replaces the users this class makes (and its `keys` then mean nothing): a deployment's own.
   */
  static async start(opts: { usersConf?: string } = {}): Promise<TestNatsServer> {
    const server = new TestNatsServer(await freePort(), await freePort(), opts.usersConf);
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The config a service is booted with to be `user` on this server: NATS_URL and NATS_NKEY_SEED. */
  env(user: BusUser): { NATS_URL: string; NATS_NKEY_SEED: string } {
    return { NATS_URL: this.url, NATS_NKEY_SEED: this.keys[user].seed };
  }

  /** A connection as `user` (the caller closes it). */
  connect(user: TestNatsUser, name = `test-${user}`): Promise<NatsConnection> {
    return connect({ servers: this.url, name, authenticator: nkeyAuthenticator(new TextEncoder().encode(this.keys[user].seed)), inboxPrefix: `_INBOX.${user}` });
  }

  /** A Nest request/reply client as `user` (`admin`: a caller that may ask anything); the caller closes it. */
  client(user: TestNatsUser): ClientNats {
    return new ClientNats({ servers: this.url, name: `test-${user}-client`, authenticator: nkeyAuthenticator(new TextEncoder().encode(this.keys[user].seed)), inboxPrefix: `_INBOX.${user}` });
  }

  /** A service's link as `user` (relays, consumers); the caller closes it. */
  link(user: BusUser): NatsLink {
    return new NatsLink({ servers: this.url, user, seed: this.keys[user].seed, retryMs: 50 });
  }

  /** How many client connections the server has open. */
  async connectionCount(): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${this.monitorPort}/connz`);
    return ((await res.json()) as { num_connections: number }).num_connections;
  }

  /** Starts (again) on the same port and store, so JetStream keeps its streams. */
  async resume(): Promise<void> {
    const args = ['-c', join(this.dir, 'nats.conf'), '-a', '127.0.0.1', '-p', String(this.port), '-m', String(this.monitorPort)];
    this.child = spawn(natsServerBin(), args, { stdio: 'ignore' });
    await waitForPort(this.port, 10_000);
  }

  /** Stops the server (SIGTERM, or SIGKILL for a crash) and waits for the process to exit. */
  async pause(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** Stops the server and removes its store and keys. */
  async destroy(): Promise<void> {
    await this.pause();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
