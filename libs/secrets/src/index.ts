export * from './first-start-secrets';
