import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateAssertionKey } from '@gate/identity-assertion';
import { JsonLogger } from '@gate/observability';
import { ServiceBootOptions, ServiceConfigSchema, startService } from '@gate/service-app';
import { directoryService } from '../../services/directory/src/directory.service';
import { loginService } from '../../services/login/src/login.service';
import { sessionsService } from '../../services/sessions/src/sessions.service';
import { verifyService } from '../../services/verify/src/verify.service';
import { requireCaddy, TestCaddy } from '../support/caddy';
import { TestNatsServer } from '../support/nats-server';
import { TestOidcProvider } from '../support/oidc-provider';
import { freePort } from '../support/ports';
import { sql, TEST_DATABASE_URL } from '../support/postgres';
import { waitFor } from '../support/wait-for';
import { Teardown } from '../support/teardown';

/** The identity headers verify sets and the proxy copies onto the app's request. */
export const IDENTITY_HEADERS = ['X-Forwarded-User', 'X-Forwarded-User-Email', 'X-Forwarded-User-Name', 'X-Forwarded-User-Groups', 'X-Forwarded-User-Assertion'];

/**
 * The whole gate on one machine, as in production but in one process: the four services on
 * loopback ports, PostgreSQL (a fresh schema each), a JetStream server, a real OpenID provider,
 * Caddy as the forward-auth proxy on HTTPS (`*.example.test` → 127.0.0.1), and an app that
 * echoes the identity it was given.
 */
export interface SsoStack {
  /** `https://<host>.example.test:<port>` */
  url(host: 'auth' | 'app' | 'public'): string;
  op: TestOidcProvider;
  adminToken: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the stack. Caddy is checked for before anything starts, and a start that fails half-way
 * stops what it had started (the nats-server, the services, the OP, the schemas) before it throws.
 */
export async function startSsoStack(layout: Layout = 'split'): Promise<SsoStack> {
  requireCaddy();
  const teardown = new Teardown();
  return teardown.guard(() => startStack(teardown, layout));
}

/** How the four services run: four apps in this process, or the all-in-one entry in a process of its own. */
export type Layout = 'split' | 'all-in-one';
type ServiceName = 'directory' | 'sessions' | 'login' | 'verify';
const DEFINITIONS = { directory: directoryService, sessions: sessionsService, login: loginService, verify: verifyService };

async function startSplit(teardown: Teardown, common: Record<string, string>, envs: Record<ServiceName, Record<string, string>>, nats: TestNatsServer): Promise<void> {
  const quiet = (service: string) => new JsonLogger({ service, level: 'error', write: process.env.E2E_LOG ? (l) => process.stderr.write(l) : () => undefined });
  for (const name of ['directory', 'sessions', 'login', 'verify'] as const) {
    const definition = DEFINITIONS[name] as ServiceBootOptions<ServiceConfigSchema>;
    const started = await startService({ ...definition, env: { ...common, ...nats.env(name), ...envs[name] } }, quiet(name));
    teardown.add(started, (a: NestFastifyApplication) => a.close());
  }
}

/** `deploy/all-in-one/main.ts` from source, each service's settings given as `<SERVICE>_NAME`. */
async function startAllInOne(teardown: Teardown, common: Record<string, string>, envs: Record<ServiceName, Record<string, string>>, nats: TestNatsServer): Promise<void> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...common, NATS_URL: nats.url };
  for (const [name, own] of Object.entries(envs) as [ServiceName, Record<string, string>][]) {
    for (const [key, value] of Object.entries({ ...own, NATS_NKEY_SEED: nats.keys[name].seed })) env[`${name.toUpperCase()}_${key}`] = value;
  }
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../deploy/all-in-one/main.ts')], { env, stdio: ['ignore', 'ignore', process.env.E2E_LOG ? 'inherit' : 'ignore'] });
  teardown.add(child, (c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM')))));
}

async function startStack(teardown: Teardown, layout: Layout): Promise<SsoStack> {
  const nats = teardown.add(await TestNatsServer.start(), (n) => n.destroy());
  const [port, verifyPort, loginPort, sessionsPort, directoryPort, appPort] = await Promise.all(Array.from({ length: 6 }, freePort));
  const url = (host: string) => `https://${host}.example.test:${port}`;
  const authUrl = url('auth');
  const tag = randomBytes(3).toString('hex');
  const schemas = { login: `e2e_login_${tag}`, sessions: `e2e_sessions_${tag}`, directory: `e2e_directory_${tag}` };
  teardown.add(schemas, async (s) => {
    for (const schema of Object.values(s)) await sql(`drop schema if exists "${schema}" cascade`);
  });
  const adminToken = `gat_${randomBytes(32).toString('base64url')}`;
  const common = { HTTP_HOST: '127.0.0.1', DATABASE_URL: TEST_DATABASE_URL, SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`, LOG_LEVEL: 'error' };
  const assertion = { ASSERTION_ISSUER: authUrl, ASSERTION_JWKS_URL: `http://127.0.0.1:${verifyPort}/.well-known/jwks.json`, ASSERTION_AUDIENCE: `auth.example.test` };

  const op = teardown.add(await TestOidcProvider.start({ redirectUris: [`${authUrl}/callback`], postLogoutRedirectUris: [`${authUrl}/sessions`] }), (o) => o.close());
  const envs: Record<ServiceName, Record<string, string>> = {
    directory: { HTTP_PORT: String(directoryPort), DATABASE_SCHEMA: schemas.directory, ADMIN_TOKEN: adminToken, ...assertion },
    sessions: { HTTP_PORT: String(sessionsPort), DATABASE_SCHEMA: schemas.sessions, ...assertion },
    login: {
      HTTP_PORT: String(loginPort),
      DATABASE_SCHEMA: schemas.login,
      AUTH_URL: authUrl,
      COOKIE_DOMAINS: 'example.test',
      DEFAULT_REDIRECT_URL: `${authUrl}/sessions`,
      OIDC_ALLOW_INSECURE_ISSUER: 'true',
      OIDC_PROVIDERS: JSON.stringify([{ id: 'test', name: 'Test OP', preset: 'oidc', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, scopes: ['openid', 'email', 'profile', 'groups'], groupsClaim: 'groups' }]),
    },
    verify: { HTTP_PORT: String(verifyPort), AUTH_URL: authUrl, ASSERTION_KEYS: JSON.stringify([generateAssertionKey('e2e')]) },
  };
  if (layout === 'split') await startSplit(teardown, common, envs, nats);
  else await startAllInOne(teardown, common, envs, nats);
  // Every service ready (NATS connected, verify caught up and fresh) and login's provider discovered.
  const ports = [directoryPort, sessionsPort, loginPort, verifyPort];
  await waitFor('every service ready', async () => (await Promise.all(ports.map((p) => fetch(`http://127.0.0.1:${p}/readyz`).then((r) => r.ok, () => false)))).every(Boolean), 30_000);
  await waitFor('the provider discovered', async () => (await fetch(`http://127.0.0.1:${loginPort}/login`, { redirect: 'manual' })).status === 302, 20_000);

  const app: Server = createServer((req, res) => {
    const identity = Object.fromEntries(IDENTITY_HEADERS.map((h) => [h, req.headers[h.toLowerCase()] ?? null]));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, identity }));
  }).listen(appPort, '127.0.0.1');
  teardown.add(app, (a) => a.close());

  const upstream = (p: number) => `127.0.0.1:${p}`;
  const gated = `
  forward_auth ${upstream(verifyPort)} {
    uri /verify
    copy_headers ${IDENTITY_HEADERS.join(' ')}
  }
  reverse_proxy ${upstream(appPort)}`;
  const caddy = await TestCaddy.start(
    `https://auth.example.test {
  tls internal
  @login path /login /callback /logout
  reverse_proxy @login ${upstream(loginPort)}
  @sessions path /sessions /sessions/* /api/sessions /api/sessions/*
  reverse_proxy @sessions ${upstream(sessionsPort)}
  @directory path /api/directory /api/directory/*
  reverse_proxy @directory ${upstream(directoryPort)}
  reverse_proxy /.well-known/jwks.json ${upstream(verifyPort)}
}
https://app.example.test {
  tls internal${gated}
}
https://public.example.test {
  tls internal${gated}
}`,
    port,
  );
  teardown.add(caddy, (c) => c.stop());

  return { url, op, adminToken, port, close: () => teardown.close() };
}
