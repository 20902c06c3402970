import { randomUUID } from 'node:crypto';
import { DirectoryEvent, directoryEvents, EventEnvelope, headAnnouncement, headSubjectOf, type HeadAnnouncement } from '@gate/events';
import { EventStore, OutboxRelay } from '@gate/eventstore';
import { ensureStreams, type NatsLink, streamNameOf } from '@gate/messaging';
import { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { TestNatsServer } from '../../support/nats-server';
import { freshSchema, TEST_DATABASE_URL } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';

const STREAM = streamNameOf('directory');
const meta = () => ({ actor: 'system', correlationId: randomUUID(), occurredAt: new Date() });
const added = (i: number): DirectoryEvent => ({ type: 'MemberAdded', data: { groupId: 'g', member: `u${i}@x.io` } });

/** Every message of the stream, in stream order. */
async function readStream(nc: NatsConnection): Promise<EventEnvelope[]> {
  const js = jetstream(nc);
  const info = await (await jetstreamManager(nc)).streams.info(STREAM);
  const out: EventEnvelope[] = [];
  if (info.state.messages === 0) return out;
  const consumer = await js.consumers.get(STREAM);
  const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
  for await (const m of batch) {
    out.push(m.json<EventEnvelope>());
    if (out.length === info.state.messages) break;
  }
  return out;
}

/** Messages in the stream; 0 before the relay has created it. */
async function messageCount(nc: NatsConnection): Promise<number> {
  return (await jetstreamManager(nc)).streams.info(STREAM).then((i) => i.state.messages, () => 0);
}

describe('outbox relay to JetStream', () => {
  let nats: TestNatsServer;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let store: EventStore<typeof directoryEvents.definitions>;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    nats = await TestNatsServer.start();
    db = await freshSchema('relay');
    store = new EventStore(db.orm, directoryEvents);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await db.drop();
    await nats.destroy();
  });

  /** An inspecting connection with every permission (tests only). */
  async function admin() {
    const nc = await nats.connect('admin');
    closers.push(() => nc.close());
    return nc;
  }

  /** The directory service's bus connection, as a relay gets it. */
  function link(): NatsLink {
    const l = nats.link('directory');
    closers.push(() => l.close());
    return l;
  }

  function relay(bus: NatsLink, options: { maxBackoffMs?: number; publishTimeoutMs?: number; onPublished?: (position: number) => void } = {}) {
    const r = new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: db.schema, context: 'directory', nats: bus, backoffMs: 50, maxBackoffMs: 500, standbyRetryMs: 100, publishTimeoutMs: 500, ...options });
    r.start();
    closers.push(() => r.stop());
    return r;
  }

  it('publishes every event appended while NATS is down, in order and once, after it comes back (two relays)', async () => {
    const inspector = await admin();
    const relays = [relay(link()), relay(link())];

    await store.append('group:g', 0, [{ type: 'GroupCreated', data: { groupId: 'g', name: 'G' } }], meta());
    await waitFor('first event on JetStream', async () => (await messageCount(inspector)) === 1);
    expect(relays.filter((r) => r.isLeader)).toHaveLength(1);

    await nats.pause();
    for (let i = 0; i < 120; i++) await store.append('group:g', 'any', [added(i)], meta());
    await new Promise((r) => setTimeout(r, 300));
    await nats.resume();

    await waitFor('all 121 events on JetStream', async () => (await messageCount(inspector).catch(() => 0)) >= 121, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const published = await readStream(inspector);
    expect(published.map((e) => e.position)).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
    expect(new Set(published.map((e) => e.id)).size).toBe(121);
    expect(published[5]).toMatchObject({ type: 'MemberAdded', context: 'directory', streamId: 'group:g', data: { member: 'u4@x.io' } });
  });

  it('a standby takes over when the leader stops, without skipping or repeating', async () => {
    const inspector = await admin();
    const first = relay(link());
    await waitFor('a leader', () => first.isLeader);
    const second = relay(link());

    for (let i = 0; i < 20; i++) await store.append('group:g', 'any', [added(i)], meta());
    await waitFor('20 events', async () => (await messageCount(inspector)) === 20);
    expect(second.isLeader).toBe(false);

    await first.stop();
    for (let i = 20; i < 40; i++) await store.append('group:g', 'any', [added(i)], meta());
    await waitFor('standby takes over and publishes 40', async () => (await messageCount(inspector)) === 40);
    expect(second.isLeader).toBe(true);
    expect((await readStream(inspector)).map((e) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('an event re-published after a crash before the checkpoint moved is dropped as a duplicate', async () => {
    const inspector = await admin();
    for (let i = 0; i < 5; i++) await store.append('group:g', 'any', [added(i)], meta());
    const r = relay(link());
    await waitFor('5 events', async () => (await messageCount(inspector)) === 5);
    await r.stop();
    // Simulate a crash between the acks and the checkpoint write.
    await db.orm.em.fork().execute(`update "${db.schema}".relay_checkpoint set position = 0`);
    relay(link());
    await store.append('group:g', 'any', [added(5)], meta());
    await waitFor('6 events', async () => (await messageCount(inspector)) === 6);
    await new Promise((res) => setTimeout(res, 200));
    expect((await readStream(inspector)).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ensureStreams is idempotent and sets the documented subjects', async () => {
    const jsm = await jetstreamManager(await admin());
    await ensureStreams(jsm);
    await ensureStreams(jsm);
    const names = (await jsm.streams.list().next()).map((s) => s.config.name).sort();
    expect(names).toEqual(['AUTH_DIRECTORY', 'AUTH_LOGIN', 'AUTH_SESSIONS']);
    expect((await jsm.streams.info('AUTH_SESSIONS')).config.subjects).toEqual(['auth.sessions.*.*']);
  });

  it('announces the committed head at least once a second, on a subject only the directory may publish', async () => {
    const verify = await nats.connect('verify');
    closers.push(() => verify.close());
    const heard: HeadAnnouncement[] = [];
    verify.subscribe(headSubjectOf('directory'), { callback: (_e, m) => void heard.push(headAnnouncement.parse(m.json())) });
    relay(link());
    await waitFor('an announcement of the empty log', () => heard.some((h) => h.position === 0));
    for (let i = 0; i < 3; i++) await store.append('group:g', 'any', [added(i)], meta());
    await waitFor('the head at 3', () => heard.some((h) => h.position === 3), 3_000);
    const from = heard.length;
    await new Promise((r) => setTimeout(r, 2_600));
    expect(heard.length - from).toBeGreaterThanOrEqual(2);
    expect(heard.slice(from).every((h) => h.context === 'directory' && h.position === 3)).toBe(true);

    // verify is subscribed to heads, but may not announce one: its publish is refused by the server.
    const forged: HeadAnnouncement = { context: 'directory', position: 999, at: new Date().toISOString() };
    verify.publish(headSubjectOf('directory'), JSON.stringify(forged));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.some((h) => h.position === 999)).toBe(false);
  });

  it('publishes at once when NATS comes back, not at its next back-off step', async () => {
    const bus = link();
    const published = new Map<number, number>();
    relay(bus, { maxBackoffMs: 5_000, publishTimeoutMs: 2_000, onPublished: (position) => published.set(position, Date.now()) });
    await store.append('group:g', 0, [{ type: 'GroupCreated', data: { groupId: 'g', name: 'G' } }], meta());
    await waitFor('the first event', () => published.has(1));

    await nats.pause();
    await store.append('group:g', 'any', [added(1)], meta());
    // Long enough for the relay's back-off to grow to seconds.
    await new Promise((r) => setTimeout(r, 6_000));
    let reconnectedAt = 0;
    bus.onReconnect(() => (reconnectedAt = Date.now()));
    await nats.resume();
    const backAt = Date.now();
    await waitFor('the event appended during the outage', () => published.has(2), 10_000);
    const publishedAt = published.get(2)!;
    // Seen here: 10-30 ms after the reconnect, which comes 50-150 ms after the server is back.
    expect(reconnectedAt).toBeGreaterThan(0);
    expect(publishedAt - reconnectedAt).toBeLessThan(100);
    expect(publishedAt - backAt).toBeLessThan(400);
    const observer = await nats.connect('admin');
    closers.push(() => observer.close());
    expect((await readStream(observer)).map((e) => e.position)).toEqual([1, 2]);
  });
});
