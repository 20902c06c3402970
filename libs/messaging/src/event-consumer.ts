import { EventEnvelope } from '@gate/events';
import { NatsConnection } from '@nats-io/transport-node';
import { ConsumerMessages, DeliverPolicy, JsMsg, jetstream } from '@nats-io/jetstream';

/** Receives each event with its stream sequence; must be idempotent (see ConsumerCheckpoint). */
export type EventHandler = (event: unknown, streamSeq: number) => Promise<void> | void;

/** How a consumer starts and reports: `startAfterSeq` is read again at every (re)start. */
export interface EventConsumerOptions {
  stream: string;
  /** The stream sequence already applied (0 = from the start); asked at every (re)start. */
  startAfterSeq: () => Promise<number> | number;
  handle: EventHandler;
  /** Back-off after a handler error or a lost consumer; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  onError?: (err: unknown) => void;
  /**
   * Tells the consumer each time the connection is back (`NatsLink.onReconnect`): it then follows
   * again at once from `startAfterSeq()`. Without it, a pull that was in flight when the connection
   * broke is only noticed as lost when the consumer's heartbeats are missed, 30-40 s later.
   */
  reconnects?: (listener: () => void) => () => void;
  /**
   * Called after a message when no other one has arrived yet (the end of a burst), and when the
   * consumer stops or fails: the moment for work that a burst should do once, not per message.
   * Messages received minus messages handed over, not `getPending()`: the client queues its next
   * pull request among the messages, and the iterator then counts one pending for good.
   */
  drained?: () => void;
}

/**
 * Follows one JetStream stream with an ordered consumer and hands every message to `handle` in
 * stream order. If the handler throws (a database blip), the consumer is torn down and resumes,
 * after a back-off, from `startAfterSeq()`: nothing is skipped and nothing applied twice, provided
 * the handler is idempotent by position. Survives NATS reconnects (with `reconnects`, it follows
 * again the moment the connection is back) and process restarts (the checkpoint says where to resume).
 */
export class EventConsumer {
  private stopped = false;
  private messages: ConsumerMessages | null = null;
  private running: Promise<void> | null = null;
  private lastSeq = 0;
  private interruptBackoff: (() => void) | null = null;
  private stopWatching: (() => void) | null = null;
  /** Set by a reconnect that found no subscription to end (one was being set up). */
  private followAgainPending = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: EventConsumerOptions,
  ) {}

  /** The stream sequence of the last message handled without error. */
  get handledSeq(): number {
    return this.lastSeq;
  }

  /** Starts following the stream in the background. */
  start(): void {
    this.stopWatching ??= this.options.reconnects?.(() => this.followAgain()) ?? null;
    this.running ??= this.run();
  }

  /** Ends the current subscription (the loop then follows again from the last handled message). */
  private followAgain(): void {
    this.interruptBackoff?.();
    if (this.messages) void this.messages.close();
    else this.followAgainPending = true;
  }

  /**
   * Stops after the message in hand; resolves when the loop has ended. Prompt at any point,
   * including while the consumer is still being set up (followOnce closes what it opens late).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWatching?.();
    this.interruptBackoff?.();
    await this.messages?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    let delay = this.options.retryMs ?? 200;
    while (!this.stopped) {
      try {
        await this.followOnce();
        delay = this.options.retryMs ?? 200;
      } catch (err) {
        if (this.stopped) break;
        this.options.onError?.(err);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.interruptBackoff = () => (clearTimeout(timer), resolve());
        });
        delay = Math.min(delay * 2, this.options.maxRetryMs ?? 5000);
      }
    }
  }

  private async followOnce(): Promise<void> {
    const after = await this.options.startAfterSeq();
    this.lastSeq = after;
    const js = jetstream(this.nc);
    const consumer = await js.consumers.get(
      this.options.stream,
      after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : undefined,
    );
    const messages = await consumer.consume({ max_messages: 256 });
    this.messages = messages;
    // stop() or a reconnect may have come while the consumer was being set up, before there was
    // anything to close.
    // Closing only queues the end: the loop below sees it at once (a close that nothing iterates
    // never settles).
    if (this.stopped || this.followAgainPending) void messages.close();
    this.followAgainPending = false;
    try {
      for await (const msg of messages) {
        if (this.stopped) break;
        await this.deliver(msg);
        if (messages.getReceived() === messages.getProcessed()) this.options.drained?.();
      }
    } finally {
      this.messages = null;
      this.options.drained?.();
      await messages.close();
    }
  }

  private async deliver(msg: JsMsg): Promise<void> {
    // A message that is not JSON goes to the handler as its text (to be refused there, and
    // skipped), instead of failing here on every retry and holding the stream up for ever.
    let event: unknown;
    try {
      event = msg.json<EventEnvelope>();
    } catch {
      event = msg.string();
    }
    await this.options.handle(event, msg.seq);
    this.lastSeq = msg.seq;
  }
}
