export * from './keyring';
export * from './session-token';
