import { randomBytes } from 'node:crypto';
import { ClientProxy } from '@nestjs/microservices';
import { loadConfig } from '@gate/config';
import { LookupSessionReply, SESSIONS_PATTERNS } from '@gate/events';
import { connectMessageHandlers, NATS_CLIENT, request } from '@gate/messaging';
import { JsonLogger } from '@gate/observability';
import { createServiceApp } from '@gate/service-app';
import { parseKeyring, verifySessionToken } from '@gate/session-token';
import { sessionsConfigSchema } from '../../../services/sessions/src/config';
import { SessionsModule } from '../../../services/sessions/src/sessions.module';
import type { TestNatsServer } from '../../support/nats-server';
import { sql, TEST_DATABASE_URL } from '../../support/postgres';
import { setCookieOf, TestBrowser } from './browser';
import { LoginStack, SESSION_KEYS, startLoginStack } from './login-stack';

const keyring = parseKeyring(SESSION_KEYS);

/** The real sessions service on the stack's NATS, with a directory stand-in that knows everyone. */
async function serveRealSessions(nats: TestNatsServer) {
  const schema = `sessions_${randomBytes(4).toString('hex')}`;
  const nc = await nats.connect('directory');
  nc.subscribe('directory.principal', {
    callback: (_err, msg) => {
      const { id } = msg.json<{ id: string }>();
      msg.respond(JSON.stringify({ id, response: { exists: true, disabled: false, groups: ['staff'] }, isDisposed: true }));
    },
  });
  const config = loadConfig(sessionsConfigSchema, { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...nats.env('sessions'), SESSION_KEYS });
  const app = await createServiceApp({ service: 'sessions', module: SessionsModule, config, logger: new JsonLogger({ service: 'sessions', level: 'error', write: () => undefined }) });
  const handlers = connectMessageHandlers(app, 'sessions');
  await app.startAllMicroservices();
  await app.init();
  await handlers.listening;
  return {
    async close() {
      await app.close();
      await nc.close();
      await sql(`drop schema if exists "${schema}" cascade`);
    },
  };
}

describe('login and logout against the real sessions service', () => {
  let stack: LoginStack;
  let client: ClientProxy;

  beforeAll(async () => {
    stack = await startLoginStack({ serveSessions: serveRealSessions, env: { LOGOUT_REDIRECT_URL: 'https://example.test/bye' } });
    client = stack.app.get<ClientProxy>(NATS_CLIENT);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a login starts a session that sessions reports active; logout revokes it', async () => {
    stack.ops[0].nextUser = { sub: 'u-carol', email: 'Carol@Example.test', email_verified: true, name: 'Carol', groups: ['ops'] };
    const browser = new TestBrowser();
    const { res } = await browser.follow(`${stack.authUrl}/login?rd=${encodeURIComponent('https://app.example.test/')}`, (next) => next.hostname === '127.0.0.1');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.test/');
    const token = setCookieOf(res, 'gate_session')!.value;
    const sessionId = verifySessionToken(keyring, token)!;

    const found = await request<LookupSessionReply>(client, SESSIONS_PATTERNS.lookup, { sessionId });
    expect(found).toMatchObject({ found: true, session: { sessionId, userId: 'carol@example.test', name: 'Carol', groups: ['ops'], provider: 'test', status: 'active' } });

    const logout = await fetch(`${stack.authUrl}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `gate_session=${token}`, origin: stack.authUrl } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('https://example.test/bye');
    const after = await request<LookupSessionReply>(client, SESSIONS_PATTERNS.lookup, { sessionId });
    expect(after).toMatchObject({ found: true, session: { status: 'revoked' } });
  });
});
