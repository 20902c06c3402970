export * from './correlation';
export * from './http-metrics';
export * from './json-logger';
export * from './observability.module';
export * from './readiness-registry';
