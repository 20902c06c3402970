export * from './keyring';
export * from './session-token';
export * from './session-cookies';
