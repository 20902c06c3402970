export * from './bootstrap-service';
export * from './raw-routes';
export * from './host-services';
