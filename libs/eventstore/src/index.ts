export * from './errors';
export * from './orm';
export * from './event-store';
export * from './projection';
export * from './rebuild-projection';
export * from './command-handler';
export * from './consumer-checkpoint';
export * from './outbox-relay';
