import { BoundedMap } from '@gate/bounded-map';
import { TokenBucket, tokenRate, type TokenRate } from '@gate/token-bucket';

/**
 * A token bucket per key (a client IP): `capacity` requests at once, refilled evenly over `perMs`.
 * In memory, per replica, at most `maxKeys` buckets. LRU: an address that keeps trying keeps its
 * (empty) bucket however many new addresses arrive; full buckets are forgotten first (a new one
 * would be the same), then the least recently used.
 */
export class TokenBuckets {
  readonly buckets: BoundedMap<string, TokenBucket>;
  private readonly rate: TokenRate;

  constructor(capacity: number, perMs: number, maxKeys = 100_000) {
    this.rate = tokenRate(capacity, perMs);
    this.buckets = new BoundedMap(maxKeys, { policy: 'lru' });
  }

  /** Takes one token for `key` at `nowMs`: `{ allowed: true }`, or how long until one is free. */
  take(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.dropOldestWhile((b) => b.isFull(nowMs));
      bucket = new TokenBucket(this.rate, nowMs);
      this.buckets.set(key, bucket);
    }
    if (bucket.take(nowMs)) return { allowed: true };
    return { allowed: false, retryAfterMs: bucket.waitMs(nowMs) };
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
