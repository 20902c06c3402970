import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@gate/config';
import { JsonLogger } from '@gate/observability';
import { createServiceApp } from '@gate/service-app';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { directoryConfigSchema } from '../../../services/directory/src/config';
import { configureDirectoryApp } from '../../../services/directory/src/directory-app';
import { DirectoryModule } from '../../../services/directory/src/directory.module';
import { sql, TEST_DATABASE_URL } from '../../support/postgres';

/** A fresh schema name for one test file. */
export function freshSchemaName(): string {
  return `dir_${randomBytes(5).toString('hex')}`;
}

/** The bootstrap admin token and the secret file it is read from (ADMIN_TOKEN_FILE). */
export function bootstrapTokenFile(): { token: string; file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dir-secret-'));
  const token = `gat_${randomBytes(32).toString('base64url')}`;
  const file = join(dir, 'admin-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Boots the directory service as `main.ts` does (docs, NATS handlers), on a schema and NATS of the test's; resolves once its handlers listen. */
export async function bootDirectory(env: Record<string, string>): Promise<NestFastifyApplication> {
  const config = loadConfig(directoryConfigSchema, { DATABASE_URL: TEST_DATABASE_URL, HTTP_PORT: '4999', LOG_LEVEL: 'error', ...env });
  const app = await createServiceApp({ service: 'directory', module: DirectoryModule, config, logger: new JsonLogger({ service: 'directory', level: 'error', write: () => undefined }) });
  const handlers = configureDirectoryApp(app);
  await app.startAllMicroservices();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await handlers.listening;
  return app;
}

/** Drops a test schema. */
export async function dropSchema(schema: string): Promise<void> {
  await sql(`drop schema if exists "${schema}" cascade`);
}
