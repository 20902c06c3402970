import { randomBytes, randomUUID } from 'node:crypto';
import type { DirectoryEvent, SessionsEvent } from '@gate/events';
import { generateAssertionKey } from '@gate/identity-assertion';
import { ensureStreams, HeadAnnouncer, type NatsLink } from '@gate/messaging';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { TestNatsServer } from '../test/support/nats-server';

/** What a verify process needs to be started against a seeded NATS, and the cookie that it allows. */
export interface Seeded {
  env: Record<string, string>;
  cookie: string;
}

function envelope(context: string, position: number, type: string, streamId: string, data: unknown): string {
  return JSON.stringify({ id: randomUUID(), context, type, version: 1, streamId, streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'bench', correlationId: 'bench', data });
}

type RuleDefinedRule = Extract<DirectoryEvent, { type: 'RuleDefined' }>['data']['rule'];
type SessionStartedData = Extract<SessionsEvent, { type: 'SessionStarted' }>['data'];

/**
 * Rule `i` of the bench's rule set: rule 0 allows the IdP group `staff` on `app.example.com`; the
 * others are spread over other hosts and a few wildcard zones, a third of them deny rules.
 */
export function benchRule(i: number): RuleDefinedRule {
  if (i === 0) return { id: 'r0', priority: 100, host: 'app.example.com', effect: 'allow', subjects: { groups: ['staff'] } };
  return { id: `r${i}`, priority: i % 200, host: i % 10 === 0 ? `*.zone${i}.example.org` : `app${i}.example.com`, paths: ['/admin', '/api'], effect: i % 3 === 0 ? 'deny' : 'allow', subjects: { groups: [`g${i % 50}`] } };
}

/** The `SessionStarted` data of session `i`: session 0's user is in the IdP group `staff`. */
export function benchSession(i: number, sessionId: string, expiresAt: string): SessionStartedData {
  return { sessionId, userId: `user${i}@example.com`, email: `user${i}@example.com`, name: `User ${i}`, groups: i === 0 ? ['staff'] : ['idp-users'], provider: 'bench', clientIp: null, userAgent: null, startedAt: new Date().toISOString(), expiresAt, idleTimeoutMs: null };
}

/** The headers of the request Traefik would send for a browser holding `cookie` on `app.example.com`. */
export function forwardedHeaders(cookie: string): Record<string, string> & { cookie: string } {
  return { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/dashboard?tab=1', accept: 'text/html', cookie: `theme=dark; ${cookie}` };
}

/** The head announcements of the last seed, as the directory's and sessions' relays would make them. */
let announcing: { links: NatsLink[]; announcers: HeadAnnouncer[] } | null = null;

async function announceHeads(nats: TestNatsServer, heads: { directory: number; sessions: number }): Promise<void> {
  if (announcing) {
    announcing.announcers.forEach((a) => a.stop());
    await Promise.all(announcing.links.map((l) => l.close()));
  }
  const links = [nats.link('directory'), nats.link('sessions')];
  await Promise.all(links.map((l) => l.connection));
  const announcers = [new HeadAnnouncer(links[0], 'directory', async () => heads.directory), new HeadAnnouncer(links[1], 'sessions', async () => heads.sessions)];
  announcers.forEach((a) => a.start());
  announcing = { links, announcers };
}

/**
 * Empties the two streams and publishes `rules` rules and `sessions` sessions as the directory and
 * sessions services would, and announces their heads every second as their relays would, so that
 * a verify started afterwards loads them the production way (by replay) and counts itself fresh.
 * The returned cookie is session 0's, which rule 0 allows (`benchRule`, `benchSession`).
 */
export async function seedStreams(nats: TestNatsServer, sessions: number, rules: number): Promise<Seeded> {
  const sessionKeys = `k1:${randomBytes(32).toString('base64')}`;
  const keyring = parseKeyring(sessionKeys);
  const nc = await nats.connect('admin');
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, ['directory', 'sessions']);
  await jsm.streams.purge('AUTH_DIRECTORY');
  await jsm.streams.purge('AUTH_SESSIONS');
  const js = jetstream(nc);
  let pending: Promise<unknown>[] = [];
  const publish = async (subject: string, payload: string) => {
    pending.push(js.publish(subject, payload));
    if (pending.length >= 500) await Promise.all(pending.splice(0));
  };

  for (let i = 0; i < rules; i++) {
    await publish(`auth.directory.rule.r${i}`, envelope('directory', i + 1, 'RuleDefined', `rule:r${i}`, { rule: benchRule(i) }));
  }
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  let cookie = '';
  for (let i = 0; i < sessions; i++) {
    const { token, sessionId } = issueSessionToken(keyring);
    if (i === 0) cookie = `gate_session=${token}`;
    await publish(`auth.sessions.session.${i}`, envelope('sessions', i + 1, 'SessionStarted', `session:${sessionId}`, benchSession(i, sessionId, expiresAt)));
  }
  await Promise.all(pending);
  await nc.close();
  await announceHeads(nats, { directory: rules, sessions });

  const env = {
    ...nats.env('verify'),
    SESSION_KEYS: sessionKeys,
    AUTH_URL: 'https://auth.example.com',
    ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
  };
  return { env, cookie };
}
