import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestNatsServer } from '../../support/nats-server';
import { proxiedDatabase, sql } from '../../support/postgres';
import { TestTcpProxy } from '../../support/tcp-proxy';
import { bootDirectory, bootstrapTokenFile, dropSchema, freshSchemaName } from './boot-directory';

// The directory reaches PostgreSQL through a proxy the test stops: "PostgreSQL down" without
// touching the shared server.

describe('the directory admin API with PostgreSQL down', () => {
  let nats: TestNatsServer;
  let proxy: TestTcpProxy;
  let app: NestFastifyApplication;
  const schema = freshSchemaName();
  const secret = bootstrapTokenFile();
  const rule = { id: 'during-outage', priority: 10, host: 'wiki.example.com', effect: 'allow', subjects: { groups: ['ops'] } };

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    const db = await proxiedDatabase();
    proxy = db.proxy;
    app = await bootDirectory({ DATABASE_URL: db.url, DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_TOKEN_FILE: secret.file });
  });
  afterAll(async () => {
    await proxy?.up();
    await app?.close();
    await proxy?.close();
    await dropSchema(schema);
    await nats?.destroy();
    secret.remove();
  });

  const api = (method: 'GET' | 'POST', url: string, body?: object, token = secret.token) =>
    app.inject({ method, url: `/api/directory${url}`, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });
  const eventsOf = async (streamId: string) => (await sql<{ n: number }>(`select count(*)::int as n from "${schema}".event where stream_id = $1`, [streamId]))[0].n;

  /** 503, `Retry-After`, and the stable code in the API's JSON error shape. */
  const expectUnavailable = (res: Awaited<ReturnType<typeof api>>) => {
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: { code: 'DATABASE.UNAVAILABLE', message: expect.any(String) } });
  };

  it('answers writes and reads with 503 and Retry-After, writes nothing, and works again once it is back', async () => {
    expect((await api('POST', '/groups', { id: 'ops', name: 'Ops' })).statusCode).toBe(201);
    await proxy.down();

    expectUnavailable(await api('POST', '/rules', rule));
    expectUnavailable(await api('GET', '/rules'));
    expectUnavailable(await api('POST', '/groups/ops/members', { member: 'alice@example.com' }));
    // An API token cannot be checked either: 503, not a 401 that would send a client to fix its token.
    expectUnavailable(await api('GET', '/groups', undefined, `gat_${'x'.repeat(43)}`));

    await proxy.up();
    expect((await api('GET', '/rules/during-outage')).statusCode).toBe(404);
    expect(await eventsOf('rule:during-outage')).toBe(0);
    expect((await api('GET', '/groups/ops')).json()).toMatchObject({ members: [], version: 1 });
    const retried = await api('POST', '/rules', rule);
    expect(retried.statusCode).toBe(201);
    expect(await eventsOf('rule:during-outage')).toBe(1);
  });

  it('answers within seconds, not never, when the server stops answering', async () => {
    proxy.hang();
    proxy.dropConnections();
    await new Promise((r) => setTimeout(r, 100)); // the pool sees its idle connections go: new ones hang
    const started = Date.now();
    expectUnavailable(await api('GET', '/rules'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900); // it did wait for the connect timeout (3 s)
    expect(Date.now() - started).toBeLessThan(6_000);
    await proxy.up();
    expect((await api('GET', '/rules')).statusCode).toBe(200);
  });
});
