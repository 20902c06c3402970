import { sessionView, type LookupSessionReply, type SessionView } from '@gate/events';
import type { LookupOutcome } from '../decision/decide-request';
import { TokenBucket } from './token-bucket';

/** Asks sessions about one id (`request(client, SESSIONS_PATTERNS.lookup, …)` in production). */
export type AskSessions = (sessionId: string) => Promise<LookupSessionReply>;

/** How lookups are bounded. */
export interface SessionLookupOptions {
  ask: AskSessions;
  /** Called with a session sessions knows (verify applies it to its state). */
  learn: (view: SessionView) => void;
  negativeTtlMs: number;
  ratePerSec: number;
  burst: number;
  now?: () => number;
  /** Counts lookups by result, for metrics. */
  onResult?: (result: 'found' | 'missing' | 'failed' | 'limited' | 'coalesced') => void;
}

/**
 * Looks up session ids verify has not seen yet (the browser back from login before the event):
 * one request per id however many requests wait for it, "no such session" remembered for a
 * while, and a token bucket over all lookups so a flood of ids cannot hurt sessions. Over the
 * budget an id is treated as unknown (302/401), never as an error.
 */
export class SessionLookup {
  private readonly inFlight = new Map<string, Promise<'found' | 'missing' | 'failed'>>();
  private readonly missingUntil = new Map<string, number>();
  private readonly bucket: TokenBucket;
  private readonly now: () => number;

  constructor(private readonly options: SessionLookupOptions) {
    this.now = options.now ?? Date.now;
    this.bucket = new TokenBucket(options.ratePerSec, options.burst, this.now());
  }

  /** True while a negative answer for this id is remembered. */
  isKnownMissing(sessionId: string): boolean {
    const until = this.missingUntil.get(sessionId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.missingUntil.delete(sessionId);
    return false;
  }

  /** Looks up every id; `failed` if any lookup failed and none was found, else `missing`. */
  async lookUp(sessionIds: readonly string[]): Promise<LookupOutcome> {
    const results = await Promise.all(sessionIds.map((id) => this.one(id)));
    if (results.includes('found')) return 'missing'; // the found one is in the state now
    return results.includes('failed') ? 'failed' : 'missing';
  }

  /** Negative answers held, for metrics. */
  get negativeCacheSize(): number {
    return this.missingUntil.size;
  }

  private one(sessionId: string): Promise<'found' | 'missing' | 'failed'> {
    const pending = this.inFlight.get(sessionId);
    if (pending) {
      this.options.onResult?.('coalesced');
      return pending;
    }
    if (!this.bucket.take(this.now())) {
      this.options.onResult?.('limited');
      return Promise.resolve('missing');
    }
    const promise = this.ask(sessionId).finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, promise);
    return promise;
  }

  private async ask(sessionId: string): Promise<'found' | 'missing' | 'failed'> {
    let reply: LookupSessionReply;
    try {
      reply = await this.options.ask(sessionId);
    } catch {
      this.options.onResult?.('failed');
      return 'failed';
    }
    const parsed = reply?.found === true ? sessionView.safeParse(reply.session) : null;
    if (parsed?.success && parsed.data.sessionId === sessionId) {
      this.options.learn(parsed.data);
      this.options.onResult?.('found');
      return 'found';
    }
    if (reply?.found === true) {
      this.options.onResult?.('failed');
      return 'failed'; // a reply we cannot read: cannot decide
    }
    this.sweepMissing();
    this.missingUntil.set(sessionId, this.now() + this.options.negativeTtlMs);
    this.options.onResult?.('missing');
    return 'missing';
  }

  private sweepMissing(): void {
    if (this.missingUntil.size < 10_000) return;
    const now = this.now();
    for (const [id, until] of this.missingUntil) if (until <= now) this.missingUntil.delete(id);
  }
}
