import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { SECRET_FILES } from '@gate/secrets';
import { freePort } from '../test/support/ports';
import { stopChild } from './front';

type Service = 'directory' | 'sessions' | 'login' | 'verify';

/**
 * The four services in the all-in-one process (`deploy/all-in-one/main.ts`, from source), each on
 * its own loopback port with its own NATS user, configured as compose configures them but for the
 * demo's hosts; resolves once every one answers 200 on /readyz.
 */
export async function startGate(o: {
  root: string;
  dir: string;
  secrets: string;
  natsUrl: string;
  databaseUrl: string;
  authUrl: string;
  domain: string;
  provider: { issuer: string; clientId: string; clientSecret: string };
  log: Writable;
}): Promise<{ ports: Record<Service, number>; stop(): Promise<void> }> {
  const [directory, sessions, login, verify] = await Promise.all(Array.from({ length: 4 }, freePort));
  const ports = { directory, sessions, login, verify };
  const secret = (file: string) => join(o.secrets, file);
  const assertion = { ASSERTION_ISSUER: o.authUrl, ASSERTION_JWKS_URL: `http://127.0.0.1:${verify}/.well-known/jwks.json`, ASSERTION_AUDIENCE: `auth.${o.domain}` };
  const own: Record<Service, Record<string, string>> = {
    directory: { DATABASE_URL: o.databaseUrl, ADMIN_TOKEN_FILE: secret(SECRET_FILES.adminToken), ADMIN_EMAILS: `alice@${o.domain}`, ...assertion },
    sessions: { DATABASE_URL: o.databaseUrl, ...assertion },
    login: {
      DATABASE_URL: o.databaseUrl,
      COOKIE_DOMAINS: o.domain,
      DEFAULT_REDIRECT_URL: `${o.authUrl}/sessions`,
      OIDC_ALLOW_INSECURE_ISSUER: 'true',
      OIDC_PROVIDERS: JSON.stringify([{ id: 'demo', name: 'Demo provider', preset: 'oidc', issuer: o.provider.issuer, clientId: o.provider.clientId, clientSecret: o.provider.clientSecret, scopes: ['openid', 'email', 'profile'] }]),
    },
    verify: { ASSERTION_KEYS_FILE: secret(SECRET_FILES.assertionKeys) },
  };
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NATS_URL: o.natsUrl,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    AUTH_URL: o.authUrl,
    SESSION_KEYS_FILE: secret(SECRET_FILES.sessionKeys),
  };
  delete env.DATABASE_URL;
  for (const service of Object.keys(own) as Service[]) {
    for (const [name, value] of Object.entries({ ...own[service], HTTP_PORT: String(ports[service]), NATS_NKEY_SEED_FILE: secret(SECRET_FILES.nkey(service)) })) env[`${service.toUpperCase()}_${name}`] = value;
  }
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join(o.root, 'deploy/all-in-one/main.ts')], { cwd: o.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(o.log);
  child.stderr!.pipe(o.log);
  const stop = () => stopChild(child);
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the gate process exited (${child.exitCode}); see .demo/gate.log`);
    const ready = await Promise.all(Object.values(ports).map((p) => fetch(`http://127.0.0.1:${p}/readyz`).then((r) => r.ok, () => false)));
    if (ready.every(Boolean)) return { ports, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the gate was not ready within 60 s; see .demo/gate.log');
}
