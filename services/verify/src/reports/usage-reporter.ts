/** Sends one batch; in production `client.emit(pattern, batch)`. */
export type SendBatch<T> = (items: T[]) => void;

/**
 * Collects sampled usage reports (a session seen, a token used) off the hot path and sends them
 * in batches every `intervalMs`: at most one report per key per `sampleMs`, at most `maxBatch`
 * items per message. `record` is a map lookup and never waits for anything.
 */
export class UsageReporter<T> {
  private pending = new Map<string, T>();
  private readonly lastReported = new Map<string, number>();
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
    if (this.lastReported.size > 50_000) {
      for (const [key, at] of this.lastReported) if (nowMs - at >= this.options.sampleMs) this.lastReported.delete(key);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush(this.now());
  }
}
