import { createServer, Server, Socket } from 'node:net';
import { freePort } from './ports';

/**
 * A TCP forwarder a test controls, to make "PostgreSQL down" without touching the shared server:
 * point a service at `url()` and the proxy forwards to the real one. `down()` drops every
 * connection and refuses new ones; `hang()` keeps every connection open and accepts new ones but
 * forwards nothing (a server that stopped answering); `up()` forwards again on the same port.
 */
export class TestTcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private hanging = false;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Starts forwarding 127.0.0.1:<a free port> to `target`. */
  static async start(target: { host: string; port: number }): Promise<TestTcpProxy> {
    const proxy = new TestTcpProxy(await freePort(), target);
    await proxy.up();
    return proxy;
  }

  /** A copy of the `postgres://` URL `databaseUrl` that goes through the proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.href;
  }

  /** Forwards again (listening again if `down()` closed the port); connections `hang()` silenced are dropped. */
  async up(): Promise<void> {
    // A connection that lost bytes or never got an upstream while hanging is of no use to anyone.
    if (this.hanging) this.dropConnections();
    this.hanging = false;
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Drops every connection (the client sees a reset) and refuses new ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on forwards nothing, either way, on open connections and new ones alike. */
  hang(): void {
    this.hanging = true;
  }

  /** Drops every open connection (the client sees a reset); new ones are still accepted. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** Stops for good. */
  close(): Promise<void> {
    return this.down();
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.hanging) return;
    const upstream = new Socket();
    this.track(upstream);
    upstream.connect(this.target.port, this.target.host);
    // Not piped: `hang()` must be able to silence a connection that is already open.
    client.on('data', (chunk) => void (this.hanging || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (this.hanging || client.write(chunk)));
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}
