export * from './streams';
export * from './nats-connection';
export * from './event-consumer';
export * from './messaging.module';
export * from './message-handlers';
export * from './request';
export * from './correlation.interceptor';
