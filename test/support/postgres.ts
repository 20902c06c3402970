import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createOrm, migrate } from '@gate/eventstore';
import { TestTcpProxy } from './tcp-proxy';

/** The database integration tests use (the CI machine's local PostgreSQL, trust auth). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated ORM on a schema of its own, dropped again by `drop()`. */
export async function freshSchema(prefix = 't'): Promise<{ orm: MikroORM; schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const orm = await createOrm({ clientUrl: TEST_DATABASE_URL, schema });
  await migrate(orm);
  return {
    orm,
    schema,
    async drop() {
      await orm.close(true);
      await sql(`drop schema if exists "${schema}" cascade`);
    },
  };
}

/** Runs one statement on a short-lived connection. */
export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A proxy in front of the test database, and the database URL through it: "PostgreSQL down" on demand. */
export async function proxiedDatabase(): Promise<{ proxy: TestTcpProxy; url: string }> {
  const target = new URL(TEST_DATABASE_URL);
  const proxy = await TestTcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  return { proxy, url: proxy.url(TEST_DATABASE_URL) };
}
