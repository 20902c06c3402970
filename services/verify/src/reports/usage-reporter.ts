import { BoundedMap } from '@gate/bounded-map';

/** Keys whose last report is remembered at most (about 50 B each; evicting one costs one report more). */
export const SAMPLED_KEYS_MAX = 100_000;

/** Sends one batch; in production `client.emit(pattern, batch)`. */
export type SendBatch<T> = (items: T[]) => void;

/**
 * Collects sampled usage reports (a session seen, a token used) off the hot path and sends them
 * in batches every `intervalMs`: at most one report per key per `sampleMs`, at most `maxBatch`
 * items per message. `record` is a map lookup and never waits for anything.
 */
export class UsageReporter<T> {
  /** What the next flush sends: at most one item per key recorded since the last flush. */
  private pending = new Map<string, T>();
  /**
   * When each key was last reported, in that order (re-inserted on each report): the ones older
   * than the sample period are a prefix, dropped at each flush. FIFO: a hit is a plain `Map.get`.
   */
  readonly lastReported = new BoundedMap<string, number>(SAMPLED_KEYS_MAX);
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private readonly send: SendBatch<T>,
    private readonly toItem: (key: string, nowMs: number) => T,
    private readonly options: { intervalMs: number; sampleMs: number; maxBatch?: number; now?: () => number },
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Notes a use of `key`; dropped when one was already reported within the sample period. */
  record(key: string, nowMs: number): void {
    const last = this.lastReported.get(key);
    if (last !== undefined && nowMs - last < this.options.sampleMs) return;
    this.lastReported.delete(key);
    this.lastReported.set(key, nowMs);
    this.pending.set(key, this.toItem(key, nowMs));
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(this.now()), this.options.intervalMs);
    this.timer.unref();
  }

  /** Sends what is pending (also called on shutdown). */
  flush(nowMs: number): void {
    if (this.pending.size > 0) {
      const items = [...this.pending.values()];
      this.pending = new Map();
      const max = this.options.maxBatch ?? 5000;
      for (let i = 0; i < items.length; i += max) {
        try {
          this.send(items.slice(i, i + max));
        } catch {
          // best effort: last-seen is informational, a lost batch is acceptable
        }
      }
    }
    this.lastReported.dropOldestWhile((at) => nowMs - at >= this.options.sampleMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush(this.now());
  }
}
