import { TokenBucket, tokenRate, tokensPerSecond } from './token-bucket';

describe('a token bucket', () => {
  it('allows a burst, then the rate', () => {
    const bucket = new TokenBucket(tokensPerSecond(2, 3), 0);
    expect([0, 0, 0, 0].map(() => bucket.take(0))).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
  });

  it('says how long until the next token, and when it is full again', () => {
    const bucket = new TokenBucket(tokenRate(3, 60_000), 1000);
    [0, 0, 0].forEach(() => bucket.take(1000));
    expect(bucket.waitMs(1000)).toBe(20_000);
    expect(bucket.take(1000)).toBe(false);
    expect(bucket.waitMs(21_000)).toBe(0);
    expect(bucket.isFull(21_000)).toBe(false);
    expect(bucket.isFull(61_000)).toBe(true);
  });

  it('gains nothing from a clock that steps back', () => {
    const bucket = new TokenBucket(tokenRate(1, 1000), 5000);
    expect(bucket.take(5000)).toBe(true);
    expect(bucket.take(1000)).toBe(false);
    expect(bucket.take(5999)).toBe(false);
    expect(bucket.take(6000)).toBe(true);
  });

  it('refuses a rate that could never give a token', () => {
    expect(() => tokenRate(0, 1000)).toThrow(RangeError);
    expect(() => tokenRate(1, 0)).toThrow(RangeError);
    expect(() => tokensPerSecond(0, 5)).toThrow(RangeError);
  });
});
