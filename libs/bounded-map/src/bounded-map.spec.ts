import { BoundedMap, EvictionCounter, type EvictionPolicy } from './bounded-map';

describe('a bounded map', () => {
  it('fifo: never holds more than its bound, evicts the entry inserted first, counts it; reads and updates move nothing', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1).set('b', 2).set('c', 3);
    expect(m.get('a')).toBe(1);
    m.set('a', 10);
    expect(m.evictions.count).toBe(0);
    m.set('d', 4);
    expect([...m.entries()]).toEqual([['b', 2], ['c', 3], ['d', 4]]);
    m.set('e', 5);
    expect([...m.entries()]).toEqual([['c', 3], ['d', 4], ['e', 5]]);
    expect([m.size, m.evictions.count]).toEqual([3, 2]);
  });

  it('lru: a read or an update keeps an entry, the least recently used goes', () => {
    const m = new BoundedMap<string, number>(3, { policy: 'lru' });
    m.set('a', 1).set('b', 2).set('c', 3);
    m.get('a');
    m.set('b', 20);
    m.set('d', 4);
    expect([...m.entries()]).toEqual([['a', 1], ['b', 20], ['d', 4]]);
    expect(m.evictions.count).toBe(1);
  });

  it('drops stale entries from the oldest end up to the first it keeps, without counting them as evictions', () => {
    const m = new BoundedMap<string, number>(10);
    [['a', 1], ['b', 2], ['c', 9], ['d', 3]].forEach(([k, until]) => m.set(k as string, until as number));
    expect(m.dropOldestWhile((until) => until <= 5)).toBe(2);
    expect([...m.entries()]).toEqual([['c', 9], ['d', 3]]);
    expect(m.dropOldestWhile(() => true)).toBe(2);
    expect([m.size, m.evictions.count]).toEqual([0, 0]);
    m.set('e', 1);
    expect(m.dropOldestWhile(() => false)).toBe(0);
    expect([...m.entries()]).toEqual([['e', 1]]);
  });

  it('lets maps share one eviction count', () => {
    const shared = new EvictionCounter();
    const maps = [new BoundedMap<number, number>(1, { evictions: shared }), new BoundedMap<number, number>(1, { evictions: shared })];
    maps.forEach((m) => m.set(1, 1).set(2, 2).set(3, 3));
    expect(shared.count).toBe(4);
  });

  it('refuses a bound below one', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });

  // The cursor kept between evictions is the subtle part: check it against a plain model through
  // many random operations, every one of them, for both policies.
  it.each<EvictionPolicy>(['fifo', 'lru'])('behaves like a plain model of the %s policy through random operations', (policy) => {
    let seed = 42;
    const random = (n: number) => {
      // mulberry32: small, seeded, good enough to mix the operations
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const m = new BoundedMap<number, number>(8, { policy });
    let model: [number, number][] = [];
    let evicted = 0;
    const touch = (key: number, value: number) => (model = [...model.filter(([k]) => k !== key), [key, value]]);
    for (let step = 0; step < 20_000; step++) {
      const key = random(20);
      const op = random(100);
      if (op < 45) {
        m.set(key, step);
        const at = model.findIndex(([k]) => k === key);
        if (at >= 0 && policy === 'fifo') model[at] = [key, step];
        else if (at >= 0) touch(key, step);
        else {
          if (model.length >= 8) (model = model.slice(1)), evicted++;
          model.push([key, step]);
        }
      } else if (op < 75) {
        const entry = model.find(([k]) => k === key);
        expect(m.get(key)).toBe(entry?.[1]);
        if (entry && policy === 'lru') touch(key, entry[1]);
      } else if (op < 90) {
        expect(m.delete(key)).toBe(model.some(([k]) => k === key));
        model = model.filter(([k]) => k !== key);
      } else if (op < 98) {
        const bound = step - random(400);
        const before = model.length;
        const at = model.findIndex(([, v]) => v > bound);
        model = at < 0 ? [] : model.slice(at);
        expect(m.dropOldestWhile((v) => v <= bound)).toBe(before - model.length);
      } else {
        m.clear();
        model = [];
      }
      expect([...m.entries()]).toEqual(model);
    }
    expect(m.evictions.count).toBe(evicted);
    expect(evicted).toBeGreaterThan(100);
  });
});
