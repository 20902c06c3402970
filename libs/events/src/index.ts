export * from './envelope';
export * from './stream-id';
export * from './catalog';
export * from './fields';
export * from './directory-events';
export * from './sessions-events';
export * from './login-events';
