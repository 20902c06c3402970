import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { type BusUser, inboxPrefixOf } from './bus-permissions';

/** Where NATS is and who we are on it. */
export interface NatsLinkOptions {
  /** Comma-separated server URLs (`nats://nats:4222`). */
  servers: string;
  /** The bus user: its permissions, its inbox prefix and the connection's name. */
  user: BusUser;
  /** The user's nkey seed (`SU…`), from `NATS_NKEY_SEED(_FILE)`. */
  seed: string;
  /** What the connection calls itself on the server (`<user>` unless given). */
  name?: string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** First retry delay after a failed first connect; doubles up to 5 s. */
  retryMs?: number;
}

/**
 * The service's one NATS connection, authenticated with its nkey. It never blocks the service's
 * start: `connection` settles once the first connect succeeds, and until then every failed attempt
 * is logged with where it tried and why it failed. Once connected it reconnects for ever; `up`
 * says whether it is connected right now (readiness names NATS while it is not), and
 * `onReconnect` listeners run the moment it is back (the relay publishes at once).
 */
export class NatsLink {
  /** Settles with the connection once it is first made; never rejects (closing stops the attempts). */
  readonly connection: Promise<NatsConnection>;
  private current: NatsConnection | null = null;
  private connected = false;
  private closed = false;
  private readonly reconnectListeners = new Set<() => void>();
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly options: NatsLinkOptions) {
    this.connection = this.connectFirst();
    this.connection.catch(() => undefined);
  }

  /** Where replies to this user's requests go (its permissions allow no other inbox). */
  get inboxPrefix(): string {
    return inboxPrefixOf(this.options.user);
  }

  /** Connected right now. */
  get up(): boolean {
    return this.connected;
  }

  /** The connection if it has been made (it may be reconnecting), else null. */
  get connectionNow(): NatsConnection | null {
    return this.current;
  }

  /** Calls `listener` each time the connection is re-established; returns how to stop. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Drains the connection (in-flight messages are delivered) or stops connecting. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeRetry?.();
    const nc = this.current;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  private async connectFirst(): Promise<NatsConnection> {
    const { servers, user, seed, retryMs = 250 } = this.options;
    const list = servers.split(',').map((s) => s.trim()).filter(Boolean);
    let delay = retryMs;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new Error('NATS link closed before it connected');
      try {
        const nc = await connect({
          servers: list,
          name: this.options.name ?? user,
          authenticator: nkeyAuthenticator(new TextEncoder().encode(seed.trim())),
          inboxPrefix: this.inboxPrefix,
          maxReconnectAttempts: -1,
          // A refused connect costs nothing; trying often means the bus is used again within
          // ~100 ms of coming back (the relay publishes, verify catches up).
          reconnectTimeWait: 50,
          reconnectJitter: 50,
          // A silent network (no reset) is noticed within ~15 s: readiness then names NATS.
          pingInterval: 5_000,
          maxPingOut: 2,
          timeout: 2_000,
        });
        if (this.closed) {
          await nc.close();
          throw new Error('NATS link closed while it connected');
        }
        this.adopt(nc);
        this.log('info', `connected to NATS at ${nc.getServer()} as ${user}${attempt > 1 ? ` after ${attempt} attempts` : ''}`);
        return nc;
      } catch (err) {
        if (this.closed) throw err;
        this.log('warn', `cannot reach NATS at ${list.join(', ')} as ${user} (attempt ${attempt}): ${describe(err)}; retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeRetry = () => (clearTimeout(timer), resolve());
        });
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private adopt(nc: NatsConnection): void {
    this.current = nc;
    this.connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.connected = false;
          this.log('warn', `lost NATS at ${status.server}; reconnecting`);
        } else if (status.type === 'reconnect') {
          this.connected = true;
          this.log('info', `reconnected to NATS at ${status.server}`);
          for (const listener of this.reconnectListeners) listener();
        } else if (status.type === 'error') {
          this.log('error', `NATS: ${describe(status.error)}`);
        }
      }
    })();
    void nc.closed().then(() => {
      this.connected = false;
    });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return [e?.message ?? String(err), cause && cause !== e?.message ? `(${cause})` : ''].filter(Boolean).join(' ');
}
