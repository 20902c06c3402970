import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@gate/config';
import { JsonLogger } from '@gate/observability';
import { createServiceApp } from '@gate/service-app';
import { LoginConfig, loginConfigSchema } from '../../../services/login/src/config';
import { LoginModule } from '../../../services/login/src/login.module';
import { TestNatsServer } from '../../support/nats-server';
import { TestOidcProvider } from '../../support/oidc-provider';
import { freePort } from '../../support/ports';
import { sql, TEST_DATABASE_URL } from '../../support/postgres';
import { Teardown } from '../../support/teardown';
import { FakeSessions } from './fake-sessions';
import { NatsLink } from '@gate/messaging';
import { ProviderRegistry } from '../../../services/login/src/providers/provider-registry';
import { waitFor } from '../../support/wait-for';

/** A login service on a real loopback port, its OPs, NATS, a fresh schema and a sessions stand-in. */
export interface LoginStack {
  app: NestFastifyApplication;
  config: LoginConfig;
  /** `http://127.0.0.1:<port>`: AUTH_URL. */
  authUrl: string;
  ops: TestOidcProvider[];
  sessions: FakeSessions;
  schema: string;
  nats: TestNatsServer;
  close(): Promise<void>;
}

/** What a test may vary: provider entries beyond the OP wiring, whether OPs listen at boot, env. */
export interface LoginStackOptions {
  /** One entry per OP: extra provider fields (id, name, groupsClaim, …). */
  providers?: Record<string, unknown>[];
  /** Indexes of OPs left down at boot (call `op.listen()` later). */
  downAtBoot?: number[];
  env?: Record<string, string>;
  claimsInIdToken?: boolean;
  /** Serve `sessions.*` with something other than the FakeSessions (e.g. the real SessionsModule). */
  serveSessions?: (nats: TestNatsServer) => Promise<{ close(): Promise<unknown> }>;
}

export const SESSION_KEYS = `k1:${randomBytes(32).toString('base64')}`;

/**
 * Boots the stack; every test file gets its own (own NATS, own schema, own OPs). A boot that fails
 * half-way stops what it had started before it throws.
 */
export async function startLoginStack(options: LoginStackOptions = {}): Promise<LoginStack> {
  const teardown = new Teardown();
  return teardown.guard(() => boot(options, teardown));
}

async function boot(options: LoginStackOptions, teardown: Teardown): Promise<LoginStack> {
  const nats = teardown.add(await TestNatsServer.start(), (n) => n.destroy());
  const sessions = new FakeSessions();
  const sessionsApp: { close(): Promise<unknown> } = options.serveSessions ? await options.serveSessions(nats) : await sessions.serve(nats);
  teardown.add(sessionsApp, (s) => s.close());
  const port = await freePort();
  const authUrl = `http://127.0.0.1:${port}`;
  const providerEntries = options.providers ?? [{ id: 'test', name: 'Test OP', groupsClaim: 'groups', scopes: ['openid', 'email', 'profile', 'groups'] }];
  const ops = await Promise.all(
    providerEntries.map(() => TestOidcProvider.create({ redirectUris: [`${authUrl}/callback`], postLogoutRedirectUris: ['https://example.test/bye'], claimsInIdToken: options.claimsInIdToken })),
  );
  teardown.add(ops, (all) => Promise.all(all.map((op) => op.close())));
  await Promise.all(ops.filter((_, i) => !options.downAtBoot?.includes(i)).map((op) => op.listen()));
  const schema = teardown.add(`login_${randomBytes(4).toString('hex')}`, (s) => sql(`drop schema if exists "${s}" cascade`));
  const config = loadConfig(loginConfigSchema, {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    ...nats.env('login'),
    HTTP_PORT: String(port),
    AUTH_URL: authUrl,
    COOKIE_DOMAINS: 'example.test,example.org',
    DEFAULT_REDIRECT_URL: 'https://home.example.test/',
    SESSION_KEYS,
    OIDC_ALLOW_INSECURE_ISSUER: 'true',
    RATE_LIMIT_LOGIN: '10000/1m',
    OIDC_PROVIDERS: JSON.stringify(providerEntries.map((p, i) => ({ preset: 'oidc', issuer: ops[i].issuer, clientId: ops[i].clientId, clientSecret: ops[i].clientSecret, ...p }))),
    ...options.env,
  });
  const app = teardown.add(await createServiceApp({ service: 'login', module: LoginModule, config, logger: new JsonLogger({ service: 'login', level: process.env.LOGIN_TEST_LOG ? 'debug' : 'error', write: process.env.LOGIN_TEST_LOG ? (l) => process.stderr.write(l) : () => undefined }) }), (a) => a.close());
  await app.listen(port, '127.0.0.1');
  // Discovery and NATS come up in the background: wait for them, as a user would wait for /readyz.
  const up = providerEntries.map((p, i) => (options.downAtBoot?.includes(i) ? null : p.id)).filter((id): id is string => id !== null);
  await waitFor('providers discovered and NATS connected', () => up.every((id) => app.get(ProviderRegistry).readyIds.includes(id)) && app.get(NatsLink).up);
  return { app, config, authUrl, ops, sessions, schema, nats, close: () => teardown.close() };
}
