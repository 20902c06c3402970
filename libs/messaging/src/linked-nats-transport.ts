import { Logger } from '@nestjs/common';
import { ClientNats, ServerNats } from '@nestjs/microservices';
import type { NatsLink } from './nats-link';

/**
 * Nest's NATS request/reply client on the service's own `NatsLink`, so a service has one
 * authenticated connection instead of one per Nest transport. A request sent while NATS is not
 * there yet waits for it (the caller's timeout bounds the wait). Closing the client leaves the
 * connection to its owner, the link.
 */
export class LinkedNatsClient extends ClientNats {
  constructor(private readonly link: NatsLink) {
    super({ inboxPrefix: link.inboxPrefix });
  }

  override createClient(): ReturnType<ClientNats['createClient']> {
    return this.link.connection as unknown as ReturnType<ClientNats['createClient']>;
  }

  override async close(): Promise<void> {
    this.handleClose();
    this.natsClient = null;
    this.connectionPromise = null;
  }
}

/**
 * Nest's NATS message handlers (`@MessagePattern`, `@EventPattern`) on the service's `NatsLink`.
 * Listening does not wait for NATS: the service starts and serves `/healthz` (and a `/readyz` that
 * names NATS) at once, and the handlers subscribe as soon as the link connects. Replicas join one
 * queue group, so each request is answered once. Closing unsubscribes and leaves the connection
 * to the link.
 */
export class LinkedNatsServer extends ServerNats {
  private readonly log = new Logger('NatsHandlers');
  private readonly subscribed = Promise.withResolvers<void>();
  /** Settles once the handlers' subscriptions have reached the server. */
  readonly listening: Promise<void> = this.subscribed.promise;

  constructor(
    private readonly link: NatsLink,
    queue: string,
  ) {
    super({ queue });
  }

  override createNatsClient(): ReturnType<ServerNats['createNatsClient']> {
    return this.link.connection as unknown as ReturnType<ServerNats['createNatsClient']>;
  }

  override async listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): Promise<void> {
    callback();
    void super.listen((err) => {
      if (err) return this.log.error(`NATS message handlers could not start: ${String(err)}`);
      void this.link.connection.then((nc) => nc.flush()).then(() => this.subscribed.resolve());
    });
  }

  override async close(): Promise<void> {
    for (const subscription of this['subscriptions'].splice(0)) subscription.unsubscribe();
  }
}
