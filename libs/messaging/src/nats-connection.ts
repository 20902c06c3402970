import { ConnectionOptions, NatsConnection, connect } from '@nats-io/transport-node';

/**
 * Connects to NATS and keeps trying for ever: at first connect (a service may start before NATS)
 * and after every disconnect. Close it with `drain()` so in-flight messages are delivered.
 */
export function connectNats(servers: string, name: string, extra: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: servers.split(',').map((s) => s.trim()),
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
    ...extra,
  });
}
