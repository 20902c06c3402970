export * from './bootstrap-service';
export * from './raw-routes';
