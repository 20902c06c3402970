import { type Environment, LOG_LEVELS, type LogLevelName } from '@gate/config';
import { JsonLogger } from '@gate/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ServiceBootOptions, type ServiceConfigSchema, startService } from './bootstrap-service';

/**
 * The environment one service of a shared process sees: the process's, with every `<SERVICE>_NAME`
 * variable (e.g. `VERIFY_NATS_NKEY_SEED_FILE`) as `NAME` for that service only, so that each keeps
 * its own credentials, port and settings. Shared settings (`NATS_URL`, `LOG_LEVEL`) are given once.
 */
export function environmentOf(service: string, env: Environment): Environment {
  const prefix = `${service.toUpperCase()}_`;
  const own = Object.entries(env)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => [name.slice(prefix.length), value] as const);
  const names = new Set(own.map(([name]) => name));
  // A service-specific NAME or NAME_FILE replaces both forms of the shared one.
  const replaced = (name: string) => names.has(name) || names.has(name.replace(/_FILE$/, '')) || names.has(`${name}_FILE`);
  const shared = Object.entries(env).filter(([name]) => !name.startsWith(prefix) && !replaced(name));
  return Object.fromEntries([...shared, ...own]);
}

/**
 * Starts several services in this process (the all-in-one layout for small hosts), each still a
 * separate Nest app on its own port with its own NATS user, talking to the others over NATS exactly
 * as when separate. Stops those already started if one fails, then throws.
 */
export async function hostServices(definitions: readonly ServiceBootOptions<ServiceConfigSchema>[], env: Environment = process.env): Promise<NestFastifyApplication[]> {
  // One logger for the process (Nest's static loggers are per process): its lines say `gate`.
  const level = LOG_LEVELS.find((l) => l === env.LOG_LEVEL) ?? ('info' satisfies LogLevelName);
  const logger = new JsonLogger({ service: 'gate', level });
  const apps: NestFastifyApplication[] = [];
  try {
    for (const definition of definitions) apps.push(await startService({ ...definition, env: environmentOf(definition.service, env) }, logger));
    return apps;
  } catch (error) {
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    throw new Error(`${definitions[apps.length]?.service ?? 'a service'} cannot start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
