export * from './streams';
export * from './nats-connection';
export * from './event-consumer';
