import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, isDatabaseUnavailable, migrate, OutboxRelay } from '@gate/eventstore';
import { TestNatsServer } from '../../support/nats-server';
import { proxiedDatabase, sql } from '../../support/postgres';
import { TestTcpProxy } from '../../support/tcp-proxy';

// What the ORM really throws when PostgreSQL goes away, and that it throws it in time: each
// failure must be recognised as "database unavailable" (a 503 at every edge), none may hang.

describe('the ORM with PostgreSQL unreachable', () => {
  const schema = `outage_${randomBytes(4).toString('hex')}`;
  let proxy: TestTcpProxy;
  let url: string;
  let orm: MikroORM;

  beforeAll(async () => {
    const db = await proxiedDatabase();
    proxy = db.proxy;
    url = db.url;
    orm = await createOrm({ clientUrl: db.url, schema, connectTimeoutMs: 1_000, queryTimeoutMs: 1_500 });
    await migrate(orm);
  });
  afterAll(async () => {
    await proxy?.close();
    await orm?.close(true);
    await sql(`drop schema if exists "${schema}" cascade`);
  });
  afterEach(() => proxy.up());

  /** The error of one query and how long it took to come. */
  async function failure(): Promise<{ error: unknown; ms: number }> {
    const started = Date.now();
    const error = await orm.em.fork().execute('select 1').then(() => null, (e: unknown) => e);
    return { error, ms: Date.now() - started };
  }

  it('down: connections dropped and refused', async () => {
    await orm.em.fork().execute('select 1'); // a pooled connection, about to be reset
    await proxy.down();
    for (let i = 0; i < 2; i++) {
      const { error, ms } = await failure();
      expect(error).not.toBeNull();
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeLessThan(1_000);
    }
    await proxy.up();
    await expect(orm.em.fork().execute('select 1 as one')).resolves.toEqual([{ one: 1 }]);
  });

  it('hanging on connect: fails within the connect timeout', async () => {
    proxy.hang();
    proxy.dropConnections();
    await new Promise((r) => setTimeout(r, 100)); // the pool sees its idle connections go
    const { error, ms } = await failure();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3_000);
  });

  it('silent on an open connection: fails within the query timeout', async () => {
    await orm.em.fork().execute('select 1');
    proxy.hang();
    const { error, ms } = await failure();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(4_000);
  });

  it('the outbox relay stops promptly while the database hangs (app shutdown never waits on it)', async () => {
    const nats = await TestNatsServer.start();
    const nc = nats.link('directory');
    try {
      proxy.hang();
      const relay = new OutboxRelay({ connectionString: url, schema, context: 'directory', nats: nc });
      relay.start();
      await new Promise((r) => setTimeout(r, 200)); // connecting, to a server that never answers
      const started = Date.now();
      await relay.stop();
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await nc.close();
      await nats.destroy();
    }
  });
});
