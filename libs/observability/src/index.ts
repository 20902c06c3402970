export * from './bootstrap-service';
export * from './correlation';
export * from './http-metrics';
export * from './json-logger';
export * from './observability.module';
export * from './raw-routes';
export * from './readiness-registry';
