import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { SERVICE_CONFIG } from '@gate/config';
import { type NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './nats-connection';

/** Injection token of the request/reply client (a Nest ClientProxy over NATS). */
export const NATS_CLIENT = 'NATS_CLIENT';
/** Injection token of the raw NATS connection (JetStream: relay, consumers). */
export const NATS_CONNECTION = 'NATS_CONNECTION';

/** Where NATS is and who we are on it. */
export interface MessagingOptions {
  servers: string;
  /** The service name: the connection name and the queue group its handlers join. */
  service: string;
}

/**
 * Connects the request/reply client when the module starts and drains the raw connection when the
 * app shuts down, so in-flight messages are delivered. Connecting up front matters: a client left
 * to connect on its first emit may do so during shutdown (a last usage report), after Nest has
 * closed it, and that connection would then stay open for ever.
 */
@Injectable()
class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_CLIENT) private readonly client: ClientProxy,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

/**
 * NATS for a service: a request/reply client (`@Inject(NATS_CLIENT) client: ClientProxy`) and the
 * raw connection for JetStream (`@Inject(NATS_CONNECTION)`), both reconnecting for ever.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [
        ClientsModule.register([
          {
            name: NATS_CLIENT,
            transport: Transport.NATS,
            options: { servers: options.servers.split(','), name: `${options.service}-client`, maxReconnectAttempts: -1, waitOnFirstConnect: true },
          },
        ]),
      ],
      providers: [
        { provide: NATS_CONNECTION, useFactory: () => connectNats(options.servers, options.service) },
        NatsLifecycle,
      ],
      exports: [ClientsModule, NATS_CONNECTION],
    };
  }

  /** The same for a booted service: the servers come from NATS_URL in the service config. */
  static forService(service: string): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [
        ClientsModule.registerAsync([
          {
            name: NATS_CLIENT,
            inject: [SERVICE_CONFIG],
            useFactory: (config: { NATS_URL: string }) => ({
              transport: Transport.NATS,
              options: { servers: config.NATS_URL.split(','), name: `${service}-client`, maxReconnectAttempts: -1, waitOnFirstConnect: true },
            }),
          },
        ]),
      ],
      providers: [
        { provide: NATS_CONNECTION, inject: [SERVICE_CONFIG], useFactory: (config: { NATS_URL: string }) => connectNats(config.NATS_URL, service) },
        NatsLifecycle,
      ],
      exports: [ClientsModule, NATS_CONNECTION],
    };
  }
}
