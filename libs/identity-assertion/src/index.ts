export * from './assertion-keys';
export * from './assertion-signer';
export * from './assertion-verifier';
export * from './assertion.strategy';
export * from './assertion-config';
