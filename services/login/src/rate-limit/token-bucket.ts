/**
 * A token bucket per key (a client IP): `capacity` requests at once, refilled evenly over `perMs`.
 * In memory, per replica; idle buckets are dropped when the map grows past `maxKeys`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key` at `nowMs`: `{ allowed: true }`, or how long until one is free. */
  take(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const rate = this.capacity / this.perMs;
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    b.tokens = Math.min(this.capacity, b.tokens + (nowMs - b.at) * rate);
    b.at = nowMs;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.sweep(nowMs);
      this.buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - b.tokens) / rate) };
  }

  private sweep(nowMs: number): void {
    for (const [key, b] of this.buckets) if (nowMs - b.at >= this.perMs) this.buckets.delete(key);
    // Still full of active keys: forget the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let drop = Math.floor(this.buckets.size / 2);
      for (const key of this.buckets.keys()) if (drop-- > 0) this.buckets.delete(key);
    }
  }
}

/**
 * The client IP a limit applies to: the first `X-Forwarded-For` hop when the request comes
 * through a trusted proxy (TRUST_PROXY=true), else the socket's peer address.
 */
export function clientIpOf(forwardedFor: string | string[] | undefined, socketIp: string | undefined, trustProxy: boolean): string | null {
  if (trustProxy && forwardedFor) {
    const first = (Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor).split(',')[0].trim();
    if (first) return first;
  }
  return socketIp ?? null;
}
