import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';

/** Where the front sends what (all on 127.0.0.1). */
export interface Upstreams {
  readonly login: number;
  readonly sessions: number;
  readonly directory: number;
  readonly verify: number;
  readonly app: number;
}

/** The identity headers verify sets: copied onto the app's request on 2xx, removed from the client's. */
const IDENTITY = /^x-forwarded-user/i;

const AUTH_ROUTES: [RegExp, keyof Upstreams][] = [
  [/^\/(login|callback|logout)(\?|$)/, 'login'],
  [/^\/(sessions|api\/sessions)(\/|\?|$)/, 'sessions'],
  [/^\/api\/directory(\/|\?|$)/, 'directory'],
  [/^\/\.well-known\/jwks\.json$/, 'verify'],
];

/**
 * The forward-auth front of the demo, speaking Traefik's protocol to verify: Caddy when it is
 * installed (its `forward_auth`), otherwise a small fastify proxy (@fastify/reply-from) doing the
 * same, only for the demo. Serves `auth.<domain>` (login, sessions, directory, JWKS) and every
 * `gated` host behind verify, on `port`.
 */
export async function startFront(options: { port: number; domain: string; gated: string[]; upstreams: Upstreams; dir: string; builtin: boolean }): Promise<{ kind: string; close(): Promise<void> }> {
  if (!options.builtin && spawnSync('caddy', ['version']).status === 0) return startCaddy(options);
  return startBuiltin(options);
}

async function startCaddy(o: Parameters<typeof startFront>[0]): Promise<{ kind: string; close(): Promise<void> }> {
  const up = (name: keyof Upstreams) => `127.0.0.1:${o.upstreams[name]}`;
  const gated = o.gated.map((h) => `http://${h}.${o.domain}:${o.port}`).join(', ');
  const caddyfile = `{
  auto_https off
  admin off
}
http://auth.${o.domain}:${o.port} {
  @login path /login /callback /logout
  reverse_proxy @login ${up('login')}
  @sessions path /sessions /sessions/* /api/sessions /api/sessions/*
  reverse_proxy @sessions ${up('sessions')}
  @directory path /api/directory /api/directory/*
  reverse_proxy @directory ${up('directory')}
  reverse_proxy /.well-known/jwks.json ${up('verify')}
  redir / /sessions
}
${gated} {
  forward_auth ${up('verify')} {
    uri /verify
    copy_headers X-Forwarded-User X-Forwarded-User-Email X-Forwarded-User-Name X-Forwarded-User-Groups X-Forwarded-User-Assertion
  }
  reverse_proxy ${up('app')}
}
`;
  const file = join(o.dir, 'Caddyfile');
  writeFileSync(file, caddyfile);
  const child: ChildProcess = spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: 'ignore', env: { ...process.env, XDG_DATA_HOME: o.dir, XDG_CONFIG_HOME: o.dir } });
  await waitUntilListening(o.port, child);
  return { kind: 'Caddy', close: () => stopChild(child) };
}

async function startBuiltin(o: Parameters<typeof startFront>[0]): Promise<{ kind: string; close(): Promise<void> }> {
  const front = Fastify();
  await front.register(replyFrom);
  front.all('/*', async (request, reply) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = request.url;
    if (host === `auth.${o.domain}`) {
      const route = AUTH_ROUTES.find(([pattern]) => pattern.test(url));
      if (!route) return reply.redirect('/sessions');
      return reply.from(`http://127.0.0.1:${o.upstreams[route[1]]}${url}`);
    }
    if (!o.gated.some((g) => host === `${g}.${o.domain}`)) return reply.code(404).send('no such demo host');
    const headers: Record<string, string> = { 'x-forwarded-method': request.method, 'x-forwarded-proto': 'http', 'x-forwarded-host': request.headers.host ?? host, 'x-forwarded-uri': url, 'x-forwarded-for': request.ip };
    for (const name of ['cookie', 'accept', 'authorization', 'user-agent', 'x-requested-with']) if (typeof request.headers[name] === 'string') headers[name] = request.headers[name] as string;
    const answer = await fetch(`http://127.0.0.1:${o.upstreams.verify}/verify`, { headers, redirect: 'manual' });
    if (answer.status < 200 || answer.status > 299) {
      for (const [name, value] of answer.headers) if (!['content-length', 'transfer-encoding', 'connection'].includes(name)) reply.header(name, value);
      return reply.code(answer.status).send(Buffer.from(await answer.arrayBuffer()));
    }
    return reply.from(`http://127.0.0.1:${o.upstreams.app}${url}`, {
      rewriteRequestHeaders: (_req, original) => {
        const rewritten: Record<string, string | string[] | undefined> = Object.fromEntries(Object.entries(original).filter(([name]) => !IDENTITY.test(name)));
        for (const [name, value] of answer.headers) if (IDENTITY.test(name)) rewritten[name] = value;
        // The app sees the host it was asked for (as behind Traefik or Caddy), not the upstream's.
        rewritten.host = request.headers.host;
        return rewritten;
      },
    });
  });
  await front.listen({ port: o.port, host: '127.0.0.1' });
  return { kind: 'the built-in proxy', close: () => front.close() };
}

async function waitUntilListening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${child.exitCode}): is port ${port} free?`);
    if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('caddy did not start within 10 s');
}

/** Stops a child process and waits for it to exit. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
