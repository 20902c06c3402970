import {
  ConfigError,
  type Environment,
  loadConfig,
  SERVICE_CONFIG,
  type ServiceConfig,
} from '@gate/config';
import { type DynamicModule, Logger, type LoggerService, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { z } from 'zod';
import { JsonLogger } from '@gate/observability';
import { RawRoutes } from './raw-routes';

/** A config schema built on `serviceConfigSchema`, so the app knows where to listen and what to log. */
export type ServiceConfigSchema = z.ZodObject & z.ZodType<ServiceConfig>;

/** What `createServiceApp` builds an app from. */
export interface ServiceAppOptions<C extends ServiceConfig> {
  readonly service: string;
  /** The service's root module, e.g. `VerifyModule`. */
  readonly module: Type<unknown> | DynamicModule;
  /** The validated config; injectable anywhere in the app as `SERVICE_CONFIG`. */
  readonly config: C;
  /** A JSON logger at `config.LOG_LEVEL` on standard output unless given. */
  readonly logger?: LoggerService;
}

/** What `bootstrapService` starts a service from. */
export interface ServiceBootOptions<S extends ServiceConfigSchema> {
  readonly service: string;
  readonly configSchema: S;
  readonly module: Type<unknown> | DynamicModule;
  /** `process.env` unless given. */
  readonly env?: Environment;
  /**
   * Runs after the app is built and before it listens, with the validated config: e.g. connect
   * NATS message handlers (`connectMessageHandlers`) or serve a route on fastify directly.
   */
  readonly configure?: (app: NestFastifyApplication, config: z.output<S>) => unknown;
}

@Module({})
class ServiceRootModule {}

/**
 * Builds (but does not start) a service's Nest app on fastify, with the JSON logger, shutdown
 * hooks, the config provided globally as `SERVICE_CONFIG`, and `RawRoutes` for paths answered
 * ahead of fastify.
 */
export async function createServiceApp<C extends ServiceConfig>(
  options: ServiceAppOptions<C>,
): Promise<NestFastifyApplication> {
  const { service, module, config } = options;
  const logger = options.logger ?? new JsonLogger({ service, level: config.LOG_LEVEL });
  const rawRoutes = new RawRoutes();
  const root: DynamicModule = {
    module: ServiceRootModule,
    global: true,
    imports: [module],
    providers: [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: RawRoutes, useValue: rawRoutes },
    ],
    exports: [SERVICE_CONFIG, RawRoutes],
  };
  // abortOnError false: a failure to build the app is reported by the caller, not by process.abort().
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter({ serverFactory: rawRoutes.serverFactory }), {
    logger,
    abortOnError: false,
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/**
 * Builds, configures and starts a service from its definition and an environment, listening on
 * `HTTP_HOST:HTTP_PORT`; throws on a bad config or a failed start. What `bootstrapService` runs,
 * and what end-to-end tests use to start the very same services in one process.
 */
export async function startService<S extends ServiceConfigSchema>(
  options: ServiceBootOptions<S>,
  logger?: LoggerService,
): Promise<NestFastifyApplication> {
  const config = loadConfig(options.configSchema, options.env);
  const app = await createServiceApp({ service: options.service, module: options.module, config, logger });
  await options.configure?.(app, config);
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}

/**
 * Starts a service: validates its config from the environment first, then builds the app and
 * listens on `HTTP_HOST:HTTP_PORT`. If anything fails it writes why on standard error and exits
 * with status 1, before Nest is even created when the config is bad.
 */
export async function bootstrapService<S extends ServiceConfigSchema>(
  options: ServiceBootOptions<S>,
): Promise<NestFastifyApplication> {
  const { service } = options;
  try {
    const app = await startService(options);
    new Logger('Bootstrap').log(`${service} listening`);
    return app;
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${service} cannot start. ${reason}\n`);
    return process.exit(1);
  }
}
