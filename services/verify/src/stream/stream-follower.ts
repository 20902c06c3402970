import { type Context, directoryEvents, type EventCatalog, headAnnouncement, headSubjectOf, sessionsEvents } from '@gate/events';
import { EventConsumer, type NatsLink, streamNameOf } from '@gate/messaging';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Feed } from '../create-verify';
import type { DirectoryState } from '../state/directory-state';
import type { SessionState } from '../state/session-state';
import { AppliedPositions, type Replayed } from './applied-positions';
import { CommittedHead } from './committed-head';

/** An event that arrived at an already-applied position under another id (or one too old to check). */
export interface PositionConflict {
  readonly stream: string;
  readonly position: number;
  readonly id: string;
  /** The id applied at that position, when still remembered. */
  readonly appliedId: string | null;
  readonly kind: Exclude<Replayed, 'same'> | 'beyond-head';
}

/** What the follower reports as it goes (metrics, logs). */
export interface FollowerHooks {
  /** A live event (after ready) was applied: its stream and when it occurred (propagation delay). */
  applied?: (stream: string, occurredAt: string) => void;
  /** An event that could not be read was skipped. */
  rejected?: (stream: string, err: unknown) => void;
  /** An alarm: never skipped silently, never applied. */
  conflict?: (conflict: PositionConflict) => void;
  error?: (stream: string, err: unknown) => void;
  /** The replay at start has caught up: called once. */
  caughtUp?: () => void;
}

interface Followed {
  readonly context: Context;
  readonly stream: string;
  readonly catalog: EventCatalog<any>;
  /** Applies an event; false when its position was already applied. */
  readonly apply: (event: any) => boolean;
  readonly appliedPosition: () => number;
  readonly head: CommittedHead;
  readonly positions: AppliedPositions;
  /** Stream sequence of the last message applied. */
  appliedSeq: number;
  /** The stream's last sequence at start: replayed up to it, the context is ready. */
  startSeq: number | null;
  consumer: EventConsumer | null;
}

/**
 * Follows `AUTH_DIRECTORY` and `AUTH_SESSIONS` from their start into the in-memory state, and
 * knows whether that state can be trusted:
 * - ready: both streams replayed up to their heads as they were at start (`rulesKnown` as soon
 *   as the directory's is, so public rules can be answered while sessions still replay);
 * - fresh: for each context, verify has applied everything up to a head its relay announced
 *   within the last `staleAfterMs` (`auth.<context>.head`, read from PostgreSQL). JetStream's own
 *   head is not enough: an event may still wait in a writer's outbox. No announcement (NATS or
 *   the relay gone) or no progress towards it (events stuck) both end in stale.
 * It also decides when the directory's rules are compiled: once at the end of the directory's
 * replay, then at the end of each burst of events, so that no request is decided on rules older
 * than the events applied and a burst of 5k rule events compiles once, not 5k times.
 * The streams are the writers' to create: verify waits for them and changes nothing on the bus.
 */
export class StreamFollower {
  private readonly followed: Followed[];
  private readyFlag = false;
  private stopped = false;
  private running: Promise<void> | null = null;
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly link: Pick<NatsLink, 'connection' | 'onReconnect'>,
    private readonly directory: DirectoryState,
    private readonly sessions: SessionState,
    private readonly staleAfterMs: number,
    private readonly hooks: FollowerHooks = {},
    private readonly now: () => number = Date.now,
  ) {
    this.followed = [
      this.entry('directory', directoryEvents, (e) => directory.apply(e), () => directory.appliedPosition),
      this.entry('sessions', sessionsEvents, (e) => sessions.apply(e), () => sessions.appliedPosition),
    ];
  }

  /** Starts following in the background (NATS and the streams may not be there yet). */
  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    await Promise.all(this.followed.map((f) => f.consumer?.stop()));
    await this.running?.catch(() => undefined);
  }

  /** Caught up with both streams as they were at start. */
  get ready(): boolean {
    return this.readyFlag;
  }

  /** The directory is replayed: the rules known so far are the rules (public paths can be answered). */
  get rulesKnown(): boolean {
    return this.isReplayed(this.followed[0]);
  }

  /** Not known to be complete as of `staleAfterMs` ago, for some context (also before the first announcement). */
  get stale(): boolean {
    const now = this.now();
    return this.followed.some((f) => now - f.head.freshAsOfMs > this.staleAfterMs);
  }

  /** Per stream: announced head − applied position, for `verify_event_lag`. */
  lag(): { stream: string; lag: number }[] {
    return this.followed.map((f) => ({ stream: f.stream, lag: f.head.lag(f.appliedPosition()) }));
  }

  private entry(context: Context, catalog: EventCatalog<any>, apply: (e: any) => boolean, appliedPosition: () => number): Followed {
    const stream = streamNameOf(context);
    return { context, stream, catalog, apply, appliedPosition, head: new CommittedHead(), positions: new AppliedPositions(), appliedSeq: 0, startSeq: null, consumer: null };
  }

  private async run(): Promise<void> {
    const nc = await this.link.connection;
    if (this.stopped) return;
    for (const f of this.followed) this.listenForHead(nc, f);
    const jsm = await jetstreamManager(nc, { timeout: Math.max(250, Math.min(2000, this.staleAfterMs / 4)) });
    await Promise.all(this.followed.map((f) => this.follow(nc, jsm, f)));
  }

  /** Waits for the stream (its writer creates it), notes its head at start, then follows it. */
  private async follow(nc: NatsConnection, jsm: JetStreamManager, f: Followed): Promise<void> {
    for (let delay = 100; !this.stopped && f.startSeq === null; delay = Math.min(delay * 2, 2000)) {
      try {
        f.startSeq = (await jsm.streams.info(f.stream)).state.last_seq;
      } catch (err) {
        // Not created yet (its writer has not started), or NATS went away again: not ready meanwhile.
        this.hooks.error?.(f.stream, err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (this.stopped) return;
    this.checkCaughtUp();
    f.consumer = new EventConsumer(nc, {
      stream: f.stream,
      startAfterSeq: () => f.appliedSeq,
      retryMs: 100,
      maxRetryMs: 2000,
      handle: (raw, seq) => this.handle(f, raw, seq),
      drained: () => this.drained(f),
      onError: (err) => this.hooks.error?.(f.stream, err),
      reconnects: (listener) => this.link.onReconnect(listener),
    });
    f.consumer.start();
  }

  private listenForHead(nc: NatsConnection, f: Followed): void {
    const sub = nc.subscribe(headSubjectOf(f.context), {
      callback: (err, msg) => {
        if (err) return;
        const parsed = headAnnouncement.safeParse(safeJson(msg.data));
        if (!parsed.success || parsed.data.context !== f.context) return;
        const overrun = f.head.announce(parsed.data.position, Math.min(this.now(), Date.parse(parsed.data.at)), f.appliedPosition());
        if (overrun !== null) this.alarm(f, overrun, f.positions.idAt(overrun) ?? '', 'beyond-head');
      },
    });
    this.subscriptions.push(sub);
  }

  private handle(f: Followed, raw: unknown, seq: number): void {
    if (seq <= f.appliedSeq) return;
    let event: { id: string; position: number; occurredAt: string };
    try {
      event = f.catalog.parse(raw);
    } catch (err) {
      // An event this code cannot read (corrupt, or from newer code): skipped rather than
      // blocking the stream for ever, and counted so that an operator sees it.
      this.hooks.rejected?.(f.stream, err);
      f.appliedSeq = seq;
      return;
    }
    f.appliedSeq = seq;
    if (!f.apply(event)) {
      const replayed = f.positions.check(event.position, event.id);
      if (replayed !== 'same') this.alarm(f, event.position, event.id, replayed);
      return;
    }
    f.positions.remember(event.position, event.id);
    f.head.applied(event.position);
    if (!this.readyFlag) return this.checkCaughtUp();
    // Propagation delay means something for live events only, not for a replay of old ones.
    this.hooks.applied?.(f.stream, event.occurredAt);
  }

  /**
   * The end of a burst of events: the rules it changed are compiled once, before the next request
   * is decided (no I/O callback runs between the messages of a burst). A replay compiles at its end.
   */
  private drained(f: Followed): void {
    if (f.context === 'directory' && this.isReplayed(f)) this.directory.compileIfDirty();
  }

  private alarm(f: Followed, position: number, id: string, kind: PositionConflict['kind']): void {
    const appliedId = kind === 'beyond-head' ? null : (f.positions.idAt(position) ?? null);
    this.hooks.conflict?.({ stream: f.stream, position, id, appliedId, kind });
  }

  private isReplayed(f: Followed): boolean {
    return f.startSeq !== null && f.appliedSeq >= f.startSeq;
  }

  private checkCaughtUp(): void {
    if (this.isReplayed(this.followed[0])) this.directory.compileIfDirty();
    if (this.readyFlag || !this.followed.every((f) => this.isReplayed(f))) return;
    this.readyFlag = true;
    this.hooks.caughtUp?.();
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}

/** The feed `createVerify` takes in the service: both streams, followed over `link`. */
export function followStreams(link: Pick<NatsLink, 'connection' | 'onReconnect'>): Feed {
  return ({ directory, sessions, staleAfterMs, hooks, now }) => new StreamFollower(link, directory, sessions, staleAfterMs, hooks, now);
}
