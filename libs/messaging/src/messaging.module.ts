import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { SERVICE_CONFIG } from '@gate/config';
import { ReadinessRegistry } from '@gate/observability';
import type { BusUser } from './bus-permissions';
import { LinkedNatsClient } from './linked-nats-transport';
import { NatsLink, type NatsLinkOptions } from './nats-link';

/** Injection token of the request/reply client (a Nest ClientProxy on the service's NatsLink). */
export const NATS_CLIENT = 'NATS_CLIENT';

/** Who the service is on the bus, and where the bus is (tests; services read it from their config). */
export type MessagingOptions = Omit<NatsLinkOptions, 'log'>;

/**
 * Starts the request/reply client's connect without waiting for it, registers the `nats` readiness
 * check (so `/readyz` names NATS while it is unreachable) and drains the connection when the app
 * shuts down, after Nest has closed its transports.
 */
@Injectable()
class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly link: NatsLink,
    @Inject(NATS_CLIENT) private readonly client: ClientProxy,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('nats', () => this.link.up);
    void this.client.connect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link.close();
  }
}

function linkWithLogs(options: MessagingOptions): NatsLink {
  const logger = new Logger('Nats');
  return new NatsLink({ ...options, log: (level, message) => (level === 'info' ? logger.log(message) : level === 'warn' ? logger.warn(message) : logger.error(message)) });
}

/**
 * NATS for a service: its one authenticated connection (`NatsLink`: JetStream for the relay and
 * consumers) and a request/reply client on it (`@Inject(NATS_CLIENT) client: ClientProxy`).
 * Neither blocks the app's start; both reconnect for ever.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return MessagingModule.with({ provide: NatsLink, useFactory: () => linkWithLogs(options) });
  }

  /** The same for a booted service: the servers and seed come from NATS_URL and NATS_NKEY_SEED. */
  static forService(user: BusUser): DynamicModule {
    return MessagingModule.with({
      provide: NatsLink,
      inject: [SERVICE_CONFIG],
      useFactory: (config: { NATS_URL: string; NATS_NKEY_SEED: string }) => linkWithLogs({ servers: config.NATS_URL, seed: config.NATS_NKEY_SEED, user }),
    });
  }

  private static with(link: { provide: typeof NatsLink; useFactory: (...args: any[]) => NatsLink; inject?: unknown[] }): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        link as never,
        { provide: NATS_CLIENT, inject: [NatsLink], useFactory: (l: NatsLink) => new LinkedNatsClient(l) },
        NatsLifecycle,
      ],
      exports: [NatsLink, NATS_CLIENT],
    };
  }
}
