import { randomUUID } from 'node:crypto';
import { DirectoryEvent, directoryEvents } from '@gate/events';
import { ConsumerCheckpoint, EventStore, OutboxRelay } from '@gate/eventstore';
import { ensureStreams, EventConsumer, type NatsLink, streamNameOf } from '@gate/messaging';
import { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { TestNatsServer } from '../../support/nats-server';
import { freshSchema, sql, TEST_DATABASE_URL } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';

const STREAM = streamNameOf('directory');
const meta = () => ({ actor: 'system', correlationId: randomUUID(), occurredAt: new Date() });
const added = (i: number): DirectoryEvent => ({ type: 'MemberAdded', data: { groupId: 'g', member: `u${i}@x.io` } });

describe('JetStream consumer with a Postgres checkpoint', () => {
  let nats: TestNatsServer;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let nc: NatsConnection;
  let link: NatsLink;
  let relay: OutboxRelay;
  const consumers: EventConsumer[] = [];

  beforeEach(async () => {
    nats = await TestNatsServer.start();
    db = await freshSchema('cons');
    nc = await nats.connect('reader');
    link = nats.link('directory');
    await ensureStreams(await jetstreamManager(await link.connection), ['directory']);
    relay = new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: db.schema, context: 'directory', nats: link });
    relay.start();
    await sql(`create table "${db.schema}".applied (event_id uuid not null, position bigint not null)`);
  });
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.stop();
    await relay.stop();
    await link.close();
    await nc.close();
    await db.drop();
    await nats.destroy();
  });

  /** A consumer whose read model is the `applied` table; `failAt` makes one position throw once. */
  function consumer(name: string, opts: { fromSeq?: number; failAt?: number; retryMs?: number; onCrash?: () => void } = {}) {
    const checkpoint = new ConsumerCheckpoint(db.orm, name, STREAM);
    let failed = false;
    const c = new EventConsumer(nc, {
      stream: STREAM,
      startAfterSeq: async () => opts.fromSeq ?? (await checkpoint.load()).streamSeq,
      retryMs: opts.retryMs ?? 20,
      handle: async (raw, seq) => {
        const event = directoryEvents.parse(raw);
        await checkpoint.applyOnce(event, seq, async (em) => {
          await em.execute(`insert into "${db.schema}".applied values (?, ?)`, [event.id, event.position]);
          if (event.position === opts.failAt && !failed) {
            failed = true;
            throw new Error('crash in the middle of applying');
          }
        });
      },
      onError: () => opts.onCrash?.(),
    });
    consumers.push(c);
    c.start();
    return { consumer: c, checkpoint };
  }

  const applied = () => sql<{ n: string; d: string; max: string }>(`select count(*) n, count(distinct event_id) d, max(position) max from "${db.schema}".applied`).then((r) => r[0]);

  it('applies every event exactly once across a crash mid-stream, a restart and full redelivery', async () => {
    for (let i = 0; i < 30; i++) await store().append('group:g', 'any', [added(i)], meta());

    let crashed = false;
    const first = consumer('projector', { failAt: 17, retryMs: 60_000, onCrash: () => (crashed = true) });
    await waitFor('the crash', () => crashed);
    await first.consumer.stop();
    const cp = await first.checkpoint.load();
    expect(cp.position).toBe(16);
    expect(Number((await applied()).n)).toBe(16);

    // Restart from the checkpoint, and a second instance that replays the stream from the start.
    consumer('projector');
    consumer('projector', { fromSeq: 0 });
    for (let i = 30; i < 50; i++) await store().append('group:g', 'any', [added(i)], meta());

    await waitFor('all 50 applied', async () => Number((await applied()).max) === 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied()).toEqual({ n: '50', d: '50', max: '50' });
    expect(await first.checkpoint.load()).toEqual({ position: 50, streamSeq: 50 });
  });

  it('resumes after a handler error without skipping anything', async () => {
    for (let i = 0; i < 10; i++) await store().append('group:g', 'any', [added(i)], meta());
    consumer('retrying', { failAt: 4 });
    await waitFor('all 10 applied', async () => Number((await applied()).max) === 10);
    expect(await applied()).toEqual({ n: '10', d: '10', max: '10' });
  });

  it('says when a burst is drained: once every message that had arrived is handled, not after each one', async () => {
    for (let i = 0; i < 40; i++) await store().append('group:g', 'any', [added(i)], meta());
    await waitFor('40 events on the stream', async () => (await (await jetstreamManager(nc)).streams.info(STREAM)).state.last_seq === 40);
    const handled: number[] = [];
    const drains: number[] = [];
    const c = new EventConsumer(nc, { stream: STREAM, startAfterSeq: () => 0, handle: (_raw, seq) => void handled.push(seq), drained: () => void drains.push(handled.length) });
    consumers.push(c);
    c.start();
    await waitFor('the burst drained', () => drains.includes(40));
    expect(handled).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(drains.length).toBeLessThan(10);
    await store().append('group:g', 'any', [added(40)], meta());
    await waitFor('the next event drained', () => drains.includes(41));
  });

  // Past a quarter of its 256-message window the client pulls more, and the pull rides the same queue as
  // the messages: the end of a burst must still be seen after the last message, not at the next one.
  it('says when a burst longer than the pull window is drained, right after its last message', async () => {
    await store().append('group:g', 'any', Array.from({ length: 600 }, (_, i) => added(i)), meta());
    await waitFor('600 events on the stream', async () => (await (await jetstreamManager(nc)).streams.info(STREAM)).state.last_seq === 600);
    const handled: number[] = [];
    const drains: number[] = [];
    const c = new EventConsumer(nc, { stream: STREAM, startAfterSeq: () => 0, handle: (_raw, seq) => void handled.push(seq), drained: () => void drains.push(handled.length) });
    consumers.push(c);
    c.start();
    await waitFor('all 600 handled', () => handled.length === 600);
    await new Promise((r) => setTimeout(r, 200));
    expect(drains.at(-1)).toBe(600);
  });

  it.each([0, 20, 500])('stops promptly on an empty stream when stopped %i ms after start', async (afterMs) => {
    const { consumer: c } = consumer('idle');
    await new Promise((r) => setTimeout(r, afterMs));
    const started = Date.now();
    await c.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  function store() {
    return new EventStore(db.orm, directoryEvents);
  }
});
