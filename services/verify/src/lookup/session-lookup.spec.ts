import type { LookupSessionReply, SessionView } from '@gate/events';
import { NEGATIVE_CACHE_MAX, SessionLookup } from './session-lookup';

const view = (sessionId: string): SessionView => ({
  sessionId,
  userId: 'a@example.com',
  email: 'a@example.com',
  name: 'A',
  groups: [],
  provider: 'test',
  clientIp: null,
  userAgent: null,
  startedAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-23T11:00:00Z',
  idleTimeoutMs: null,
  lastSeenAt: null,
  status: 'active',
  position: 4,
});

function setup(answer: (id: string) => Promise<LookupSessionReply>, opts: { rate?: number; burst?: number } = {}) {
  let now = 1_000_000;
  const asked: string[] = [];
  const learned: SessionView[] = [];
  const lookup = new SessionLookup({
    ask: (id) => (asked.push(id), answer(id)),
    learn: (v) => learned.push(v),
    negativeTtlMs: 5000,
    ratePerSec: opts.rate ?? 50,
    burst: opts.burst ?? 100,
    now: () => now,
  });
  return { lookup, asked, learned, advance: (ms: number) => (now += ms) };
}

describe('looking up unknown session ids', () => {
  it('shares one lookup between concurrent requests for one id, and hands the session over', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { lookup, asked, learned } = setup(async (id) => (await gate, { found: true, session: view(id) }));
    const all = Promise.all([lookup.lookUp(['s1']), lookup.lookUp(['s1']), lookup.lookUp(['s1'])]);
    release();
    expect(await all).toEqual(['missing', 'missing', 'missing']); // "missing" = nothing left unknown: the session is in the state
    expect(asked).toEqual(['s1']);
    expect(learned.map((v) => v.sessionId)).toEqual(['s1']);
  });

  it('remembers a negative answer for a while, then asks again', async () => {
    const { lookup, asked, advance } = setup(async () => ({ found: false }));
    expect(await lookup.lookUp(['ghost'])).toBe('missing');
    expect(lookup.isKnownMissing('ghost')).toBe(true);
    advance(5001);
    expect(lookup.isKnownMissing('ghost')).toBe(false);
    await lookup.lookUp(['ghost']);
    expect(asked).toEqual(['ghost', 'ghost']);
  });

  it('reports failed when sessions does not answer or answers nonsense, and caches nothing then', async () => {
    const down = setup(async () => Promise.reject(new Error('timeout')));
    expect(await down.lookup.lookUp(['s1'])).toBe('failed');
    expect(down.lookup.isKnownMissing('s1')).toBe(false);
    const odd = setup(async () => ({ found: true, session: { sessionId: 's1' } as SessionView }));
    expect(await odd.lookup.lookUp(['s1'])).toBe('failed');
    const other = setup(async () => ({ found: true, session: view('someone-else') }));
    expect(await other.lookup.lookUp(['s1'])).toBe('failed');
    expect(other.learned).toEqual([]);
  });

  it('rate-limits lookups: over the budget an id is treated as unknown without asking sessions', async () => {
    const { lookup, asked, advance } = setup(async () => ({ found: false }), { rate: 10, burst: 5 });
    const ids = Array.from({ length: 20 }, (_, i) => `flood${i}`);
    for (const id of ids) expect(await lookup.lookUp([id])).toBe('missing');
    expect(asked).toHaveLength(5);
    advance(1000);
    for (const id of ids.map((i) => `${i}-again`)) await lookup.lookUp([id]);
    expect(asked).toHaveLength(10);
  });
});

describe('the negative cache', () => {
  it('holds at most NEGATIVE_CACHE_MAX answers: expired ones go first and uncounted, then the oldest, counted', async () => {
    const { lookup, advance } = setup(async () => ({ found: false }), { rate: 1e9, burst: 1e9 });
    for (let i = 0; i <= NEGATIVE_CACHE_MAX; i++) await lookup.lookUp([`ghost${i}`]);
    expect([lookup.negativeCacheSize, lookup.negativeCache.evictions.count]).toEqual([NEGATIVE_CACHE_MAX, 1]);
    expect([lookup.isKnownMissing('ghost0'), lookup.isKnownMissing('ghost1'), lookup.isKnownMissing(`ghost${NEGATIVE_CACHE_MAX}`)]).toEqual([false, true, true]);
    advance(5001);
    await lookup.lookUp(['late']);
    expect([lookup.negativeCacheSize, lookup.negativeCache.evictions.count]).toEqual([1, 1]);
  });
});
