/** How a bucket fills: at most `capacity` tokens, `perMs` milliseconds to refill all of them. */
export interface TokenRate {
  readonly capacity: number;
  /** Tokens added per millisecond (`capacity / perMs`). */
  readonly tokensPerMs: number;
}

/** `capacity` tokens, refilled evenly over `perMs` milliseconds (one object shared by many buckets). */
export function tokenRate(capacity: number, perMs: number): TokenRate {
  if (!(capacity >= 1) || !(perMs > 0)) throw new RangeError(`a token rate needs a capacity ≥ 1 and a period > 0, not ${capacity}/${perMs} ms`);
  return { capacity, tokensPerMs: capacity / perMs };
}

/** `ratePerSec` tokens a second on average, at most `burst` at once. */
export function tokensPerSecond(ratePerSec: number, burst: number): TokenRate {
  if (!(burst >= 1) || !(ratePerSec > 0)) throw new RangeError(`a token rate needs a burst ≥ 1 and a rate > 0, not ${ratePerSec}/s, ${burst}`);
  return { capacity: burst, tokensPerMs: ratePerSec / 1000 };
}

/**
 * A token bucket: `take()` succeeds at most `capacity` times at once and at the rate on average.
 * It starts full. Time is passed in (never read), so it is tested without waiting; a clock that
 * steps back adds nothing.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly rate: TokenRate,
    nowMs: number,
  ) {
    this.tokens = rate.capacity;
    this.lastMs = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until `take` would succeed (0: now). */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate.tokensPerMs);
  }

  /** True when full: forgetting the bucket and starting a new one would change nothing. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.rate.capacity;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.rate.capacity, this.tokens + elapsed * this.rate.tokensPerMs);
  }
}
