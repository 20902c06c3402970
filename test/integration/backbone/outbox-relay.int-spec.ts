import { randomUUID } from 'node:crypto';
import { DirectoryEvent, directoryEvents, EventEnvelope } from '@gate/events';
import { EventStore, OutboxRelay } from '@gate/eventstore';
import { connectNats, ensureStreams, streamNameOf } from '@gate/messaging';
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

async function messageCount(nc: NatsConnection): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(STREAM)).state.messages;
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

  async function connect(name: string) {
    const nc = await connectNats(nats.url, name);
    closers.push(() => nc.close());
    return nc;
  }

  function relay(nc: NatsConnection) {
    const r = new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: db.schema, context: 'directory', nats: nc, backoffMs: 50, maxBackoffMs: 500, standbyRetryMs: 100, publishTimeoutMs: 500 });
    r.start();
    closers.push(() => r.stop());
    return r;
  }

  it('publishes every event appended while NATS is down, in order and once, after it comes back (two relays)', async () => {
    const admin = await connect('test-admin');
    await ensureStreams(await jetstreamManager(admin), ['directory']);
    const relays = [relay(await connect('relay-a')), relay(await connect('relay-b'))];

    await store.append('group:g', 0, [{ type: 'GroupCreated', data: { groupId: 'g', name: 'G' } }], meta());
    await waitFor('first event on JetStream', async () => (await messageCount(admin)) === 1);
    expect(relays.filter((r) => r.isLeader)).toHaveLength(1);

    await nats.pause();
    for (let i = 0; i < 120; i++) await store.append('group:g', 'any', [added(i)], meta());
    await new Promise((r) => setTimeout(r, 300));
    await nats.resume();

    await waitFor('all 121 events on JetStream', async () => (await messageCount(admin).catch(() => 0)) >= 121, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const published = await readStream(admin);
    expect(published.map((e) => e.position)).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
    expect(new Set(published.map((e) => e.id)).size).toBe(121);
    expect(published[5]).toMatchObject({ type: 'MemberAdded', context: 'directory', streamId: 'group:g', data: { member: 'u4@x.io' } });
  });

  it('a standby takes over when the leader stops, without skipping or repeating', async () => {
    const admin = await connect('test-admin');
    await ensureStreams(await jetstreamManager(admin), ['directory']);
    const first = relay(await connect('relay-a'));
    await waitFor('a leader', () => first.isLeader);
    const second = relay(await connect('relay-b'));

    for (let i = 0; i < 20; i++) await store.append('group:g', 'any', [added(i)], meta());
    await waitFor('20 events', async () => (await messageCount(admin)) === 20);
    expect(second.isLeader).toBe(false);

    await first.stop();
    for (let i = 20; i < 40; i++) await store.append('group:g', 'any', [added(i)], meta());
    await waitFor('standby takes over and publishes 40', async () => (await messageCount(admin)) === 40);
    expect(second.isLeader).toBe(true);
    expect((await readStream(admin)).map((e) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('an event re-published after a crash before the checkpoint moved is dropped as a duplicate', async () => {
    const admin = await connect('test-admin');
    await ensureStreams(await jetstreamManager(admin), ['directory']);
    for (let i = 0; i < 5; i++) await store.append('group:g', 'any', [added(i)], meta());
    const r = relay(await connect('relay-a'));
    await waitFor('5 events', async () => (await messageCount(admin)) === 5);
    await r.stop();
    // Simulate a crash between the acks and the checkpoint write.
    await db.orm.em.fork().execute(`update "${db.schema}".relay_checkpoint set position = 0`);
    relay(await connect('relay-b'));
    await store.append('group:g', 'any', [added(5)], meta());
    await waitFor('6 events', async () => (await messageCount(admin)) === 6);
    await new Promise((res) => setTimeout(res, 200));
    expect((await readStream(admin)).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ensureStreams is idempotent and sets the documented subjects', async () => {
    const admin = await connect('test-admin');
    const jsm = await jetstreamManager(admin);
    await ensureStreams(jsm);
    await ensureStreams(jsm);
    const names = (await jsm.streams.list().next()).map((s) => s.config.name).sort();
    expect(names).toEqual(['AUTH_DIRECTORY', 'AUTH_LOGIN', 'AUTH_SESSIONS']);
    expect((await jsm.streams.info('AUTH_SESSIONS')).config.subjects).toEqual(['auth.sessions.>']);
  });
});
