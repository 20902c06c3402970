import { Constructor, EntitySchema, MikroORM } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { Migration20261123000000EventStore } from './migrations/Migration20261123000000EventStore';
import { quoteSchema } from './schema-name';

/** How a writing service reaches its own schema in Postgres. */
export interface OrmOptions {
  clientUrl: string;
  /** The service's schema (`directory`, `sessions`, `login`): event log and read models live there. */
  schema: string;
  /** The service's read-model entities. */
  entities?: EntitySchema<any>[];
  /** The service's own migrations, run after the event store's. */
  migrations?: Constructor<Migration>[];
  poolMax?: number;
  /** How long a query waits for a connection (a new one, or a free one of the pool); DATABASE_CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
  /** How long a query waits for the server's answer; DATABASE_QUERY_TIMEOUT_MS. */
  queryTimeoutMs?: number;
}

/**
 * A request waits at most this long for a database connection, so that with PostgreSQL down or
 * unreachable it fails (503) within seconds instead of hanging; pg waits forever by default.
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 3_000;

/**
 * A query waits at most this long for the server's answer: a server that stopped answering on an
 * open connection (a network partition) fails the request instead of hanging it. Generous, since
 * migrations run through the same pool; every other query here takes milliseconds.
 */
export const DATABASE_QUERY_TIMEOUT_MS = 10_000;

/** The event store's own migrations, first in every service's list. */
export const eventStoreMigrations: Constructor<Migration>[] = [Migration20261123000000EventStore];

/** Opens MikroORM on the service's schema (no schema sync: tables come from migrations). */
export async function createOrm(options: OrmOptions): Promise<MikroORM<PostgreSqlDriver>> {
  quoteSchema(options.schema);
  const migrations = [...eventStoreMigrations, ...(options.migrations ?? [])];
  return MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    schema: options.schema,
    entities: options.entities ?? [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax ?? 10 },
    // pg Pool and Client options (merged into MikroORM's): connect and acquire timeout, query timeout.
    driverOptions: {
      connectionTimeoutMillis: options.connectTimeoutMs ?? DATABASE_CONNECT_TIMEOUT_MS,
      query_timeout: options.queryTimeoutMs ?? DATABASE_QUERY_TIMEOUT_MS,
    },
    allowGlobalContext: false,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      migrationsList: migrations.map((cls) => ({ name: cls.name, class: cls })),
    },
  });
}

/**
 * Applies pending migrations (event store first, then the service's). Safe to run at every boot,
 * by several replicas at once: an advisory lock lets one migrate while the others wait.
 */
export async function migrate(orm: MikroORM): Promise<void> {
  const schemaName = orm.config.get('schema') as string;
  const schema = quoteSchema(schemaName);
  // No query timeout: waiting for the lock while another replica migrates is expected.
  const lock = new Client({ connectionString: orm.config.get('clientUrl'), connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`${schemaName}.migrations`]);
    await lock.query(`create schema if not exists ${schema}`);
    await orm.migrator.up();
  } finally {
    await lock.end();
  }
}
