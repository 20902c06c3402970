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

  it('keeps refusing an address that keeps trying while a flood of new addresses fills the table', () => {
    const b = new TokenBuckets(2, 60_000, 10);
    expect([b.take('busy', 0).allowed, b.take('busy', 0).allowed]).toEqual([true, true]);
    for (let i = 0; i < 50; i++) {
      expect(b.take(`new${i}`, 1000 + i).allowed).toBe(true);
      expect(b.take('busy', 1000 + i).allowed).toBe(false);
    }
    expect(b.buckets.size).toBe(10);
  });

  it('forgets buckets that have refilled before any that are still in use', () => {
    const b = new TokenBuckets(1, 1000, 3);
    b.take('idle', 0);
    b.take('busy1', 1500);
    b.take('busy2', 1500);
    b.take('newcomer', 1600);
    expect([...b.buckets.entries()].map(([key]) => key)).toEqual(['busy1', 'busy2', 'newcomer']);
    expect([b.buckets.evictions.count, b.take('busy1', 1600).allowed]).toEqual([0, false]);
  });
});

describe('client IP', () => {
  it('uses the first forwarded hop only behind a trusted proxy', () => {
    expect(clientIpOf('203.0.113.9, 10.0.0.2', '10.0.0.1', true)).toBe('203.0.113.9');
    expect(clientIpOf('203.0.113.9', '10.0.0.1', false)).toBe('10.0.0.1');
    expect(clientIpOf(undefined, '10.0.0.1', true)).toBe('10.0.0.1');
  });
});
