import { clientIpOf, TokenBuckets } from './token-bucket';

describe('token buckets', () => {
  it('allows a burst up to capacity, then refuses with the time until the next token', () => {
    const b = new TokenBuckets(3, 60_000);
    expect([0, 0, 0].map(() => b.take('ip1', 1000).allowed)).toEqual([true, true, true]);
    expect(b.take('ip1', 1000)).toEqual({ allowed: false, retryAfterMs: 20_000 });
    expect(b.take('ip2', 1000).allowed).toBe(true);
    expect(b.take('ip1', 21_000).allowed).toBe(true);
    expect(b.take('ip1', 21_000).allowed).toBe(false);
  });

  it('stays bounded in memory', () => {
    const b = new TokenBuckets(1, 1000, 10);
    for (let i = 0; i < 100; i++) b.take(`ip${i}`, 0);
    expect((b as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});

describe('client IP', () => {
  it('uses the first forwarded hop only behind a trusted proxy', () => {
    expect(clientIpOf('203.0.113.9, 10.0.0.2', '10.0.0.1', true)).toBe('203.0.113.9');
    expect(clientIpOf('203.0.113.9', '10.0.0.1', false)).toBe('10.0.0.1');
    expect(clientIpOf(undefined, '10.0.0.1', true)).toBe('10.0.0.1');
  });
});
