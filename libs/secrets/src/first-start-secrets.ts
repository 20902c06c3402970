import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateAssertionKey } from '@gate/identity-assertion';
import { BUS_USERS, type BusUser, createNkey, natsAuthorizationConf, publicKeyOf } from '@gate/messaging';

/** Where a deployment's database is, for the connection URL the services read. */
export interface DatabaseSettings {
  /** Host and port of PostgreSQL as the services reach it (`postgres:5432` in compose). */
  readonly hostPort: string;
  readonly user: string;
  readonly database: string;
  /** A password to keep (an existing installation's `POSTGRES_PASSWORD`) instead of a new one. */
  readonly password?: string;
}

/**
 * Every secret of a deployment, one folder per reader, so that each container mounts only its own
 * (compose mounts them with `volume.subpath`):
 *
 * | file | who reads it |
 * | --- | --- |
 * | `shared/session_keys` | login (signs session cookies), verify and sessions (check them) |
 * | `verify/assertion_keys` | verify (signs identity assertions) |
 * | `<service>/nats.nk` | each service and `reader/`: its NATS nkey seed |
 * | `directory/admin_token` | directory (the bootstrap admin API token; gatectl in its container) |
 * | `database/password`, `database/url` | PostgreSQL (sets it at first start) and the writing services |
 * | `nats/users.conf` | nats-server: the users (public keys only) and their permissions |
 */
export const SECRET_FILES = {
  sessionKeys: 'shared/session_keys',
  assertionKeys: 'verify/assertion_keys',
  adminToken: 'directory/admin_token',
  databasePassword: 'database/password',
  databaseUrl: 'database/url',
  natsUsers: 'nats/users.conf',
  nkey: (user: BusUser) => `${user}/nats.nk`,
} as const;

/** Files of the first layout (everything at the top of the volume), moved into their folders. */
const MOVED = { session_keys: SECRET_FILES.sessionKeys, assertion_keys: SECRET_FILES.assertionKeys, admin_token: SECRET_FILES.adminToken };

/**
 * Writes every missing secret into `dir` and never overwrites one that exists, so a restart keeps
 * the keys and a file you put there yourself wins. The NATS users file is the exception: it is
 * written anew from the seeds each time, so that a changed permission table takes effect. Returns
 * what it did, a line per file.
 */
export function writeFirstStartSecrets(dir: string, database: DatabaseSettings): string[] {
  const done: string[] = [];
  for (const [old, now] of Object.entries(MOVED)) {
    if (existsSync(join(dir, old)) && !existsSync(join(dir, now))) {
      mkdirSync(dirname(join(dir, now)), { recursive: true });
      renameSync(join(dir, old), join(dir, now));
      done.push(`moved ${old} to ${now}`);
    }
  }
  const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const keep = (file: string, make: () => string, mode = 0o600) => {
    const path = join(dir, file);
    if (existsSync(path)) return done.push(`kept ${file}`);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    writeFileSync(path, make(), { mode });
    chmodSync(path, mode);
    done.push(`wrote ${file}`);
  };
  keep(SECRET_FILES.sessionKeys, () => `k${stamp}:${randomBytes(32).toString('base64')}\n`);
  keep(SECRET_FILES.assertionKeys, () => JSON.stringify([generateAssertionKey(`a${stamp}`)]) + '\n');
  keep(SECRET_FILES.adminToken, () => `gat_${randomBytes(32).toString('base64url')}\n`);
  // PostgreSQL's entrypoint reads the password as its own user: readable by all in that folder.
  keep(SECRET_FILES.databasePassword, () => `${database.password ?? randomBytes(24).toString('base64url')}\n`, 0o644);
  const password = readFileSync(join(dir, SECRET_FILES.databasePassword), 'utf8').trim();
  keep(SECRET_FILES.databaseUrl, () => `postgres://${database.user}:${encodeURIComponent(password)}@${database.hostPort}/${database.database}\n`);
  for (const user of BUS_USERS) keep(SECRET_FILES.nkey(user), () => `${createNkey().seed}\n`);
  const publicKeys = Object.fromEntries(BUS_USERS.map((u) => [u, publicKeyOf(readFileSync(join(dir, SECRET_FILES.nkey(u)), 'utf8'))])) as Record<BusUser, string>;
  mkdirSync(join(dir, dirname(SECRET_FILES.natsUsers)), { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, SECRET_FILES.natsUsers), natsAuthorizationConf(publicKeys), { mode: 0o644 });
  done.push(`wrote ${SECRET_FILES.natsUsers} (${BUS_USERS.length} users)`);
  return done;
}
