import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { installCorrelation } from './correlation';
import { HealthController } from './health.controller';
import { installHttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness-registry';

/** What `ObservabilityModule.forRoot` needs to know. */
export interface ObservabilityOptions {
  /** The service's name, the `service` label of every metric. */
  readonly service: string;
  /**
   * Gives every HTTP request a correlation id (default true). Off for a service whose hot path is
   * not a fastify route (verify): the id lives in an `AsyncLocalStorage`, and once one is in use
   * every async resource the process creates pays for it, about 1 µs per forwardAuth request.
   */
  readonly correlation?: boolean;
}

const OPTIONS = Symbol('ObservabilityOptions');

/** Installs correlation ids (unless turned off) and HTTP metrics on the fastify instance before it starts serving. */
@Injectable()
class FastifyHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(Registry) private readonly registry: Registry,
    @Inject(OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined) return; // an application context without HTTP
    if (adapter.getType() !== 'fastify') {
      throw new Error(`ObservabilityModule needs the fastify adapter, not ${adapter.getType()}`);
    }
    const fastify = adapter.getInstance<FastifyInstance>();
    if (this.options.correlation !== false) installCorrelation(fastify);
    installHttpMetrics(fastify, this.registry);
  }
}

/**
 * Metrics, health and readiness for one service. Global: any module can inject the prom-client
 * `Registry` to register its own metrics and the `ReadinessRegistry` to add readiness checks.
 * Serves `GET /metrics`, `GET /healthz` and `GET /readyz`, counts every HTTP response by route
 * template and status, and gives every request a correlation id unless `correlation` is false.
 */
@Module({})
export class ObservabilityModule {
  /** The module for the service named `options.service`; import it once, in the service's root module. */
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: Registry, useFactory: () => serviceRegistry(options.service) },
        ReadinessRegistry,
        FastifyHooks,
      ],
      exports: [Registry, ReadinessRegistry],
    };
  }
}

function serviceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
