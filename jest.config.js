// Three projects: `unit` (pure *.spec.ts beside the code, test/support's too), `integration` (real
// PostgreSQL and NATS, test/integration) and `e2e` (the whole stack behind Caddy, a real OP and Chromium).
// ESM-only packages (jose, openid-client, oidc-provider) are transformed.
const libs = ['events', 'eventstore', 'messaging', 'config', 'observability', 'access-rules', 'session-token', 'identity-assertion', 'secrets', 'service-app', 'bounded-map', 'token-bucket'];
const moduleNameMapper = Object.fromEntries(
  libs.map((lib) => [`^@gate/${lib}$`, `<rootDir>/libs/${lib}/src`]),
);
const transform = {
  '^.+\\.(t|j|mj)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const common = {
  moduleNameMapper,
  transform,
  transformIgnorePatterns: ['node_modules/(?!(openid-client|oauth4webapi|jose|oidc-provider)/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/**/*.spec.ts', '<rootDir>/test/support/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
    },
  ],
};
