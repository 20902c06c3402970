/**
 * Relay benchmark (not a test): latency from commit to JetStream ack, and throughput with two
 * relays running, each against a baseline measured in the same run on the same servers.
 *   npm run bench:relay            (EVENTS=10000 by default)
 * Needs the local PostgreSQL (TEST_DATABASE_URL) and a nats-server binary; starts its own NATS.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DirectoryEvent, directoryEvents } from '@gate/events';
import { EventStore, OutboxRelay } from '@gate/eventstore';
import { ensureStreams, streamNameOf } from '@gate/messaging';
import { TestNatsServer } from '../test/support/nats-server';
import { freshSchema, sql, TEST_DATABASE_URL } from '../test/support/postgres';
import { waitFor } from '../test/support/wait-for';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

const EVENTS = Number(process.env.EVENTS ?? 10_000);
const WRITERS = Number(process.env.WRITERS ?? 8);
const meta = () => ({ actor: 'bench', correlationId: randomUUID(), occurredAt: new Date() });
const added = (i: number): DirectoryEvent => ({ type: 'MemberAdded', data: { groupId: 'g', member: `u${i}@x.io` } });

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const fmt = (n: number) => n.toFixed(2);

async function main() {
  const nats = await TestNatsServer.start();
  const nc = await nats.connect('admin');
  const link = nats.link('directory');
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, ['directory']);
  const js = jetstream(nc);

  // Baseline 1: raw sequential JetStream publish with ack, same payload size.
  const payload = Buffer.from(JSON.stringify({ id: randomUUID(), context: 'directory', type: 'MemberAdded', data: added(0).data, pad: 'x'.repeat(200) }));
  await jsm.streams.add({ name: 'BASELINE', subjects: ['baseline.>'] });
  const rawLat: number[] = [];
  let t = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const s = performance.now();
    await js.publish('baseline.x', payload, { msgID: randomUUID() });
    rawLat.push(performance.now() - s);
  }
  const rawPublishRate = EVENTS / ((performance.now() - t) / 1000);
  rawLat.sort((a, b) => a - b);

  // Latency: sequential appends, one relay, commit → ack per event.
  let db = await freshSchema('bench');
  let store = new EventStore(db.orm, directoryEvents);
  // Measured from the append call (its commit included) to the ack: an upper bound of commit → ack.
  const committedAt = new Map<number, number>();
  const latencies: number[] = [];
  const relayA = new OutboxRelay({
    connectionString: TEST_DATABASE_URL, schema: db.schema, context: 'directory', nats: link,
    onPublished: (pos) => {
      const c = committedAt.get(pos);
      if (c !== undefined) latencies.push(performance.now() - c);
    },
  });
  relayA.start();
  await waitFor('leader', () => relayA.isLeader);
  for (let i = 0; i < EVENTS; i++) {
    committedAt.set(i + 1, performance.now());
    await store.append('group:g', 'any', [added(i)], meta());
  }
  await waitFor('all published', () => relayA.publishedPosition === EVENTS, 120_000);
  await relayA.stop();
  latencies.sort((a, b) => a - b);
  await db.drop();

  // Throughput: WRITERS concurrent appenders, two relays, until the last event is acked.
  db = await freshSchema('bench');
  store = new EventStore(db.orm, directoryEvents);
  const relays = [0, 1].map(() => new OutboxRelay({ connectionString: TEST_DATABASE_URL, schema: db.schema, context: 'directory', nats: link }));
  relays.forEach((r) => r.start());
  await waitFor('a leader', () => relays.some((r) => r.isLeader));
  const stream = streamNameOf('directory');
  const before = (await jsm.streams.info(stream)).state.messages;
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < EVENTS) {
        const i = next++;
        await store.append(`group:g${i % 50}`, 'any', [added(i)], meta());
      }
    }),
  );
  const appendSecs = (performance.now() - t) / 1000;
  await waitFor('all published', async () => (await jsm.streams.info(stream)).state.messages - before === EVENTS, 120_000);
  const totalSecs = (performance.now() - t) / 1000;
  await Promise.all(relays.map((r) => r.stop()));

  // Baseline 2: raw single-row inserts into a plain table, by WRITERS writers and by one.
  await sql(`create table "${db.schema}".raw_insert (id bigserial primary key, data jsonb)`);
  const rawInsertRate = async (writers: number) => {
    const start = performance.now();
    let n = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (n < EVENTS) {
          n++;
          await db.orm.em.fork().execute(`insert into "${db.schema}".raw_insert (data) values (?::jsonb)`, [payload.toString()]);
        }
      }),
    );
    return EVENTS / ((performance.now() - start) / 1000);
  };
  const rawConcurrent = await rawInsertRate(WRITERS);
  const rawSingle = await rawInsertRate(1);
  await db.drop();

  const appendRate = EVENTS / appendSecs;
  const e2eRate = EVENTS / totalSecs;
  console.log(`events: ${EVENTS}, writers: ${WRITERS}`);
  console.log(`relay latency commit→ack: p50 ${fmt(pct(latencies, 50))} ms, p99 ${fmt(pct(latencies, 99))} ms (n=${latencies.length})`);
  console.log(`  baseline raw js.publish→ack: p50 ${fmt(pct(rawLat, 50))} ms, p99 ${fmt(pct(rawLat, 99))} ms`);
  console.log(`throughput with 2 relays: appended ${appendRate.toFixed(0)} ev/s, appended+published ${e2eRate.toFixed(0)} ev/s`);
  console.log(`  baseline raw insert, ${WRITERS} writers: ${rawConcurrent.toFixed(0)} rows/s (append = ${((appendRate / rawConcurrent) * 100).toFixed(0)} %)`);
  console.log(`  baseline raw insert, 1 writer: ${rawSingle.toFixed(0)} rows/s (append = ${((appendRate / rawSingle) * 100).toFixed(0)} %)`);
  console.log(`  baseline raw sequential publish ${rawPublishRate.toFixed(0)} msg/s (relay end-to-end = ${(e2eRate / rawPublishRate * 100).toFixed(0)} %)`);

  await link.close();
  await nc.close();
  await nats.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
