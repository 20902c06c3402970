import { SAMPLED_KEYS_MAX, UsageReporter } from './usage-reporter';

describe('sampled, batched usage reports', () => {
  it('reports a key at most once per sample period, in batches, only when flushed', () => {
    const sent: { key: string; at: number }[][] = [];
    const reporter = new UsageReporter((items) => sent.push(items as { key: string; at: number }[]), (key, at) => ({ key, at }), { intervalMs: 1000, sampleMs: 60_000, maxBatch: 2 });
    reporter.record('a', 0);
    reporter.record('a', 10);
    reporter.record('b', 20);
    reporter.record('c', 30);
    expect(sent).toEqual([]);
    reporter.flush(100);
    expect(sent).toEqual([[{ key: 'a', at: 0 }, { key: 'b', at: 20 }], [{ key: 'c', at: 30 }]]);
    reporter.record('a', 59_999);
    reporter.flush(60_000);
    expect(sent).toHaveLength(2);
    reporter.record('a', 60_000);
    reporter.flush(60_001);
    expect(sent[2]).toEqual([{ key: 'a', at: 60_000 }]);
  });

  it('survives a failing send (last-seen is best effort)', () => {
    const reporter = new UsageReporter(() => { throw new Error('down'); }, (key) => key, { intervalMs: 1000, sampleMs: 1 });
    reporter.record('a', 0);
    expect(() => reporter.flush(1)).not.toThrow();
  });

  it('forgets at each flush the keys last reported a sample period ago, and holds at most SAMPLED_KEYS_MAX', () => {
    const reporter = new UsageReporter(() => undefined, (key) => key, { intervalMs: 1000, sampleMs: 60_000 });
    reporter.record('a', 0);
    reporter.record('b', 30_000);
    reporter.record('a', 61_000);
    reporter.flush(90_000);
    expect([...reporter.lastReported.entries()]).toEqual([['a', 61_000]]);
    for (let i = 0; i < SAMPLED_KEYS_MAX; i++) reporter.record(`s${i}`, 100_000);
    expect([reporter.lastReported.size, reporter.lastReported.evictions.count]).toEqual([SAMPLED_KEYS_MAX, 1]);
  });
});
