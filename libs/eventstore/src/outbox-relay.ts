import { Context, subjectOf } from '@gate/events';
import { ensureStreams, HeadAnnouncer, type NatsLink, streamNameOf } from '@gate/messaging';
import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { rowToRaw, EventRow } from './event-row';
import { DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS } from './orm';
import { notifyChannel, quoteSchema } from './schema-name';

/** Where the relay reads from and what it tells the outside world. */
export interface OutboxRelayOptions {
  /** Postgres URL; the relay keeps one dedicated connection (LISTEN and the leader lock). */
  connectionString: string;
  schema: string;
  context: Context;
  /** The service's bus connection: the relay waits for it, and wakes the moment it reconnects. */
  nats: Pick<NatsLink, 'connection' | 'connectionNow' | 'up' | 'onReconnect'>;
  batchSize?: number;
  /** How often the leader announces the committed head on `auth.<context>.head`. */
  announceMs?: number;
  /** Safety net: look for unpublished events this often even without a NOTIFY. */
  pollMs?: number;
  /** How often a standby relay tries to become the leader. */
  standbyRetryMs?: number;
  /** First back-off after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  publishTimeoutMs?: number;
  /** Longest time between checkpoint writes while busy. */
  checkpointMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Called after each acked event (metrics, benchmarks). */
  onPublished?: (position: number, occurredAt: string) => void;
}

/**
 * The transactional outbox relay: publishes every committed event of one context to JetStream,
 * in position order, one at a time, with message id = event id (a re-publish after a crash is
 * dropped by JetStream as a duplicate). Woken by NOTIFY; a slow poll is the safety net. While
 * NATS is down it retries the same event with back-off and never moves past it; when NATS comes
 * back it retries at once, not at its next back-off step. Any number may run: a session-level
 * advisory lock makes one the leader, the others wait as standbys and take over when its
 * connection dies. The leader also announces the committed head every second (`HeadAnnouncer`),
 * so that verify can tell an event still waiting here from none at all.
 */
export class OutboxRelay {
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private notified = false;
  private client: Client | null = null;
  private leader = false;
  private position = 0;
  private savedPosition = 0;
  private savedAt = 0;
  private reconnected = false;
  private readonly o: Required<Omit<OutboxRelayOptions, 'log' | 'onPublished'>> & Pick<OutboxRelayOptions, 'log' | 'onPublished'>;
  private js: JetStreamClient | null = null;
  private readonly stream: string;
  private stopListening: (() => void) | null = null;
  private announcer: HeadAnnouncer | null = null;
  /** Settles at the next reconnect (a publish in flight on the lost connection is then given up). */
  private reconnect = Promise.withResolvers<'reconnected'>();

  constructor(options: OutboxRelayOptions) {
    this.o = { batchSize: 500, pollMs: 5000, standbyRetryMs: 1000, backoffMs: 100, maxBackoffMs: 5000, publishTimeoutMs: 2000, checkpointMs: 1000, announceMs: 1000, ...options };
    quoteSchema(options.schema);
    this.stream = streamNameOf(options.context);
  }

  /** True while this instance holds the leader lock. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** The position of the last event this instance saw acked. */
  get publishedPosition(): number {
    return this.position;
  }

  /** Starts the relay loop in the background (it first waits for NATS and its stream). */
  start(): void {
    this.stopListening ??= this.o.nats.onReconnect(() => {
      this.reconnected = true;
      this.reconnect.resolve('reconnected');
      this.reconnect = Promise.withResolvers();
      this.wake?.();
      void this.announcer?.announceNow();
    });
    this.running ??= this.run();
  }

  /** Stops after the event in hand and releases the leader lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let backoff = this.o.backoffMs;
    while (!this.stopped && this.js === null) {
      try {
        const nc = await Promise.race([this.o.nats.connection, this.sleep(this.o.maxBackoffMs).then(() => null)]);
        if (!nc) continue;
        await ensureStreams(await jetstreamManager(nc), [this.o.context]);
        this.js = jetstream(nc);
      } catch (err) {
        this.o.log?.('warn', 'cannot set up the stream yet, retrying', { stream: this.stream, error: String(err), backoffMs: backoff });
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
      }
    }
    backoff = this.o.backoffMs;
    while (!this.stopped) {
      try {
        await this.lead();
      } catch (err) {
        if (this.stopped) break;
        this.o.log?.('warn', 'outbox relay failed, retrying', { error: String(err), backoffMs: backoff });
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
        continue;
      } finally {
        this.leader = false;
        await this.client?.end().catch(() => undefined);
        this.client = null;
      }
      backoff = this.o.backoffMs;
    }
  }

  /** One connection's life: become leader, then publish until stopped or the connection fails. */
  private async lead(): Promise<void> {
    // Timeouts as the ORM's: a database that stopped answering fails the loop (retried), never hangs it or stop().
    const client = new Client({
      connectionString: this.o.connectionString,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      query_timeout: DATABASE_QUERY_TIMEOUT_MS,
    });
    this.client = client;
    const failed = new Promise<never>((_, reject) => client.on('error', reject));
    failed.catch(() => undefined);
    await client.connect();
    const s = quoteSchema(this.o.schema);
    const lockKey = `${this.o.schema}.outbox-relay`;
    while (!this.stopped) {
      const { rows } = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [lockKey]);
      if (rows[0].ok) break;
      await this.sleep(this.o.standbyRetryMs);
    }
    if (this.stopped) return;
    this.leader = true;
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.query(`listen "${notifyChannel(this.o.schema)}"`);
    const cp = await client.query(`select position from ${s}."relay_checkpoint" where name = 'outbox'`);
    this.position = this.savedPosition = Number(cp.rows[0]?.position ?? 0);
    this.o.log?.('info', 'outbox relay is the leader', { schema: this.o.schema, position: this.position });
    this.announcer = new HeadAnnouncer(this.o.nats, this.o.context, () => this.committedHead(client, s), this.o.announceMs, (err) =>
      this.o.log?.('warn', 'could not announce the head', { error: String(err) }),
    );
    this.announcer.start();
    try {
      while (!this.stopped) {
        this.notified = false;
        this.reconnected = false;
        const published = await Promise.race([this.publishBatch(client, s), failed]);
        if (published < this.o.batchSize && !this.notified && !this.reconnected) await this.sleep(this.o.pollMs, true);
      }
    } finally {
      this.announcer.stop();
      this.announcer = null;
    }
  }

  /** The highest committed position of the schema: positions become visible in order (see EventStore). */
  private async committedHead(client: Client, s: string): Promise<number> {
    const { rows } = await client.query(`select coalesce(max(position), 0) as head from ${s}."event"`);
    return Number(rows[0].head);
  }

  private async publishBatch(client: Client, s: string): Promise<number> {
    const { rows } = await client.query<EventRow>(
      `select * from ${s}."event" where position > $1 order by position limit $2`,
      [this.position, this.o.batchSize],
    );
    for (const row of rows) {
      if (this.stopped) break;
      await this.publishUntilAcked(rowToRaw(this.o.context, row));
    }
    await this.saveCheckpoint(client, s, rows.length < this.o.batchSize);
    return rows.length;
  }

  /**
   * Writes the checkpoint when the relay has caught up or at most every `checkpointMs`: a relay
   * that dies in between re-publishes a few events, which JetStream drops by message id.
   */
  private async saveCheckpoint(client: Client, s: string, caughtUp: boolean): Promise<void> {
    if (this.position === this.savedPosition) return;
    if (!caughtUp && Date.now() - this.savedAt < this.o.checkpointMs) return;
    await client.query(`update ${s}."relay_checkpoint" set position = $1 where name = 'outbox'`, [this.position]);
    this.savedPosition = this.position;
    this.savedAt = Date.now();
  }

  private async publishUntilAcked(event: ReturnType<typeof rowToRaw>): Promise<void> {
    const payload = Buffer.from(JSON.stringify(event));
    const subject = subjectOf(event.context, event.streamId);
    let backoff = this.o.backoffMs;
    while (!this.stopped) {
      try {
        const attempt = this.js!.publish(subject, payload, { msgID: event.id, expect: { streamName: this.stream }, timeout: this.o.publishTimeoutMs });
        attempt.catch(() => undefined);
        // NATS back while the ack is awaited on the lost connection: publish again at once (the
        // same message id, so JetStream keeps one copy if the first attempt landed after all).
        if ((await Promise.race([attempt, this.reconnect.promise])) === 'reconnected') continue;
        this.position = event.position;
        this.o.onPublished?.(event.position, event.occurredAt);
        return;
      } catch (err) {
        this.o.log?.('warn', 'publish failed, retrying the same event', { position: event.position, error: String(err) });
        if (!this.o.nats.up) {
          // NATS is down: wait for it (the reconnect wakes the sleep), then start again from the first back-off.
          await this.sleep(this.o.maxBackoffMs);
          backoff = this.o.backoffMs;
          continue;
        }
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
      }
    }
  }

  /** Sleeps `ms`, or less when stopped, when NATS reconnects or (if `wakeOnNotify`) when an append is announced. */
  private sleep(ms: number, wakeOnNotify = false): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === wakeUp) self.wake = null;
        resolve();
      }
      const wakeUp = () => (wakeOnNotify || self.stopped || self.reconnected ? done() : undefined);
      this.wake = wakeUp;
    });
  }
}
