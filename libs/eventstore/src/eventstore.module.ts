import { Constructor, EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { SERVICE_CONFIG } from '@gate/config';
import { EventCatalog } from '@gate/events';
import { NatsLink } from '@gate/messaging';
import { ReadinessRegistry } from '@gate/observability';
import { Counter, Gauge, Registry } from 'prom-client';
import { EventStore } from './event-store';
import { createOrm, migrate } from './orm';
import { OutboxRelay } from './outbox-relay';
import { Projection } from './projection';

/** Injection token of the service's EventStore (typed by its catalog at the injection site). */
export const EVENT_STORE = 'EVENT_STORE';

/** The part of a writing service's config that the event store reads. */
interface DatabaseConfig {
  DATABASE_URL: string;
  /** Schema of the service; the context's name unless set (tests, or several stacks in one database). */
  DATABASE_SCHEMA?: string;
}

/** One writing service's event store: its context, schema, read models and their migrations. */
export interface EventStoreModuleOptions {
  /** Any context's catalog; the store is typed again where `EVENT_STORE` is injected. */
  catalog: EventCatalog<any>;
  entities?: EntitySchema<any>[];
  migrations?: Constructor<Migration>[];
  /** Projections updated in the append's transaction (Nest providers). */
  projections?: Type<Projection<any>>[];
}

/**
 * Starts the outbox relay once the app is up (it waits for NATS in the background: the app starts
 * without it) and stops it (releasing leadership) on shutdown.
 */
@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * The event store of a writing service: opens MikroORM on the service's schema (DATABASE_URL from
 * the service config), runs migrations at boot, provides `EVENT_STORE` and `MikroORM`, runs the
 * outbox relay to JetStream, and reports readiness (database reachable) and relay metrics.
 * Needs MessagingModule and ObservabilityModule in the app.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    const context = options.catalog.context;
    const projections = options.projections ?? [];
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        ...projections,
        {
          provide: MikroORM,
          inject: [SERVICE_CONFIG, ReadinessRegistry],
          useFactory: async (config: DatabaseConfig, readiness: ReadinessRegistry) => {
            const orm = await createOrm({ clientUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA ?? context, entities: options.entities, migrations: options.migrations });
            await migrate(orm);
            readiness.register('database', () => orm.isConnected());
            return orm;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [MikroORM, ...projections],
          useFactory: (orm: MikroORM, ...instances: Projection<any>[]) => new EventStore(orm, options.catalog, instances),
        },
        {
          provide: OutboxRelay,
          inject: [SERVICE_CONFIG, NatsLink, Registry],
          useFactory: (config: DatabaseConfig, nats: NatsLink, registry: Registry) => {
            const published = new Counter({ name: 'outbox_published_total', help: 'Events the relay published to JetStream', labelNames: ['context'], registers: [registry] });
            const position = new Gauge({ name: 'outbox_published_position', help: 'Position of the last event acked by JetStream', labelNames: ['context'], registers: [registry] });
            const logger = new Logger('OutboxRelay');
            const relay: OutboxRelay = new OutboxRelay({
              connectionString: config.DATABASE_URL,
              schema: config.DATABASE_SCHEMA ?? context,
              context,
              nats,
              log: (level, msg, fields) => (level === 'info' ? logger.log : level === 'warn' ? logger.warn : logger.error).call(logger, `${msg} ${JSON.stringify(fields ?? {})}`),
              onPublished: (pos) => {
                published.inc({ context });
                position.set({ context }, pos);
              },
            });
            new Gauge({ name: 'outbox_relay_leader', help: '1 while this instance is the relay leader', labelNames: ['context'], registers: [registry], collect() { this.set({ context }, relay.isLeader ? 1 : 0); } });
            return relay;
          },
        },
        RelayLifecycle,
        {
          provide: 'ORM_CLOSER',
          inject: [MikroORM],
          useFactory: (orm: MikroORM) => ({ onApplicationShutdown: () => orm.close() }),
        },
      ],
      exports: [MikroORM, EVENT_STORE, ...projections],
    };
  }
}
