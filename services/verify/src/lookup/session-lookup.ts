import { BoundedMap } from '@gate/bounded-map';
import { sessionView, type LookupSessionReply, type SessionView } from '@gate/events';
import { TokenBucket, tokensPerSecond } from '@gate/token-bucket';
import type { LookupOutcome } from '../decision/decide-request';

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

/** Negative answers remembered at most (FIFO, and the oldest expire first: evictions are rare). */
export const NEGATIVE_CACHE_MAX = 10_000;

/**
 * Looks up session ids verify has not seen yet (the browser back from login before the event):
 * one request per id however many requests wait for it, "no such session" remembered for a
 * while, and a token bucket over all lookups so a flood of ids cannot hurt sessions. Over the
 * budget an id is treated as unknown (302/401), never as an error.
 */
export class SessionLookup {
  /**
   * Lookups under way, by id. No cap needed: each took a token and leaves when its request settles
   * (within the request's timeout), so at most burst + rate × timeout are held.
   */
  private readonly inFlight = new Map<string, Promise<'found' | 'missing' | 'failed'>>();
  /** "No such session" until when, by id; inserted in expiry order (one TTL for all). */
  readonly negativeCache = new BoundedMap<string, number>(NEGATIVE_CACHE_MAX);
  private readonly bucket: TokenBucket;
  private readonly now: () => number;

  constructor(private readonly options: SessionLookupOptions) {
    this.now = options.now ?? Date.now;
    this.bucket = new TokenBucket(tokensPerSecond(options.ratePerSec, options.burst), this.now());
  }

  /** True while a negative answer for this id is remembered. */
  isKnownMissing(sessionId: string): boolean {
    const until = this.negativeCache.get(sessionId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.negativeCache.delete(sessionId);
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
    return this.negativeCache.size;
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
    const now = this.now();
    this.negativeCache.dropOldestWhile((until) => until <= now);
    this.negativeCache.delete(sessionId); // re-inserted at the back: insertion order stays expiry order
    this.negativeCache.set(sessionId, now + this.options.negativeTtlMs);
    this.options.onResult?.('missing');
    return 'missing';
  }
}
