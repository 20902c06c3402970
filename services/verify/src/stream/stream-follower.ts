import { directoryEvents, sessionsEvents, type EventCatalog } from '@gate/events';
import { ensureStreams, EventConsumer, streamNameOf } from '@gate/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { DirectoryState } from '../state/directory-state';
import type { SessionState } from '../state/session-state';

/** What the follower reports as it goes (metrics, logs). */
export interface FollowerHooks {
  /** A live event (after ready) was applied: its stream and when it occurred (propagation delay). */
  applied?: (stream: string, occurredAt: string) => void;
  /** An event that could not be read was skipped. */
  rejected?: (stream: string, err: unknown) => void;
  error?: (stream: string, err: unknown) => void;
  /** The replay at start has caught up: called once, just before verify reports ready. */
  caughtUp?: () => void;
}

interface Followed {
  readonly stream: string;
  readonly catalog: EventCatalog<any>;
  readonly apply: (event: any) => void;
  /** Stream sequence of the last message applied. */
  appliedSeq: number;
  /** The stream's last sequence when last asked. */
  headSeq: number;
  /** A head to reach before verify counts as fresh again (set by a probe that found it behind). */
  pendingHead: number | null;
  consumer: EventConsumer | null;
}

/**
 * Follows `AUTH_DIRECTORY` and `AUTH_SESSIONS` from their start into the in-memory state, and
 * knows whether that state can be trusted:
 * - ready: both streams applied up to the heads seen at start (an empty stream is ready at once);
 * - fresh: verify confirmed it had applied everything up to the stream heads within the last
 *   `staleAfterMs`. A probe asks for the heads every few seconds; while NATS is unreachable or a
 *   consumer is stuck, the confirmation ages, and after the bound verify is stale (it may have
 *   missed a revocation) until it has caught up again.
 */
export class StreamFollower {
  private readonly followed: Followed[];
  private readyFlag = false;
  private freshAt = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private jsm: JetStreamManager | null = null;
  private stopped = false;
  private probing = false;
  private pendingSince = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly directory: DirectoryState,
    private readonly sessions: SessionState,
    private readonly staleAfterMs: number,
    private readonly hooks: FollowerHooks = {},
    private readonly now: () => number = Date.now,
  ) {
    this.followed = [
      this.entry(streamNameOf('directory'), directoryEvents, (e) => directory.apply(e)),
      this.entry(streamNameOf('sessions'), sessionsEvents, (e) => sessions.apply(e)),
    ];
  }

  /** Notes the stream heads, starts both consumers and the freshness probe. Resolves at once. */
  async start(): Promise<void> {
    this.jsm = await jetstreamManager(this.nc, { timeout: Math.max(250, Math.min(2000, this.staleAfterMs / 4)) });
    await ensureStreams(this.jsm, ['directory', 'sessions']);
    for (const f of this.followed) f.headSeq = await this.headOf(f.stream);
    this.directory.compileEagerly = false;
    this.checkCaughtUp();
    for (const f of this.followed) {
      f.consumer = new EventConsumer(this.nc, {
        stream: f.stream,
        startAfterSeq: () => f.appliedSeq,
        retryMs: 100,
        maxRetryMs: 2000,
        handle: (raw, seq) => this.handle(f, raw, seq),
        onError: (err) => this.hooks.error?.(f.stream, err),
      });
      f.consumer.start();
    }
    const every = Math.max(50, Math.min(5000, Math.floor(this.staleAfterMs / 4)));
    this.probeTimer = setInterval(() => void this.probe(), every);
    this.probeTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.all(this.followed.map((f) => f.consumer?.stop()));
  }

  /** Caught up with the heads seen at start. */
  get ready(): boolean {
    return this.readyFlag;
  }

  /** Ready, but the last confirmation of being caught up is older than the bound. */
  get stale(): boolean {
    return this.readyFlag && this.now() - this.freshAt > this.staleAfterMs;
  }

  /** Per stream: head − applied (as last seen), for `verify_event_lag`. */
  lag(): { stream: string; lag: number }[] {
    return this.followed.map((f) => ({ stream: f.stream, lag: Math.max(0, f.headSeq - f.appliedSeq) }));
  }

  private entry(stream: string, catalog: EventCatalog<any>, apply: (event: any) => void): Followed {
    return { stream, catalog, apply, appliedSeq: 0, headSeq: 0, pendingHead: null, consumer: null };
  }

  private handle(f: Followed, raw: unknown, seq: number): void {
    if (seq <= f.appliedSeq) return;
    let event: { occurredAt: string };
    try {
      event = f.catalog.parse(raw);
    } catch (err) {
      // An event this code cannot read (corrupt, or from newer code): skipped rather than
      // blocking the stream for ever, and counted so that an operator sees it.
      this.hooks.rejected?.(f.stream, err);
      f.appliedSeq = seq;
      return;
    }
    f.apply(event);
    f.appliedSeq = seq;
    if (seq > f.headSeq) f.headSeq = seq;
    // Propagation delay means something for live events only, not for a replay of old ones.
    if (!this.readyFlag) return this.checkCaughtUp();
    this.hooks.applied?.(f.stream, event.occurredAt);
    if (f.pendingHead !== null && f.appliedSeq >= f.pendingHead) this.checkFresh();
  }

  private checkCaughtUp(): void {
    if (this.followed.some((f) => f.appliedSeq < f.headSeq)) return;
    this.directory.compileEagerly = true;
    this.directory.compileIfDirty();
    this.hooks.caughtUp?.();
    this.freshAt = this.now();
    this.readyFlag = true;
  }

  private checkFresh(): void {
    if (this.followed.some((f) => f.pendingHead !== null && f.appliedSeq < f.pendingHead)) return;
    for (const f of this.followed) f.pendingHead = null;
    this.freshAt = Math.max(this.freshAt, this.pendingSince);
  }

  private async probe(): Promise<void> {
    if (this.stopped || this.probing || !this.readyFlag || this.nc.isClosed()) return;
    this.probing = true;
    const askedAt = this.now();
    try {
      const heads: number[] = [];
      for (const f of this.followed) heads.push(await this.headOf(f.stream));
      this.followed.forEach((f, i) => {
        f.headSeq = Math.max(f.headSeq, heads[i]);
        f.pendingHead = f.appliedSeq >= heads[i] ? null : heads[i];
      });
      this.pendingSince = askedAt;
      // Caught up with the heads as they were when asked: fresh as of then.
      if (this.followed.every((f) => f.pendingHead === null)) this.freshAt = askedAt;
    } catch {
      // NATS unreachable or the stream gone: the last confirmation ages towards stale.
    } finally {
      this.probing = false;
    }
  }

  private async headOf(stream: string): Promise<number> {
    const info = await this.jsm!.streams.info(stream);
    return info.state.last_seq;
  }
}
