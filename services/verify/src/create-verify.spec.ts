import { randomBytes } from 'node:crypto';
import { loadConfig } from '@gate/config';
import { SESSIONS_PATTERNS } from '@gate/events';
import { generateAssertionKey } from '@gate/identity-assertion';
import { issueSessionToken } from '@gate/session-token';
import { inject } from 'light-my-request';
import { Registry } from 'prom-client';
import { verifySettingsSchema } from './config';
import { createVerify, type Feed, type StateFeed } from './create-verify';
import { ruleDefined, dirEvent, sesEvent, started } from './state/events.fixture';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const settings = loadConfig(verifySettingsSchema, {
  SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  AUTH_URL: 'https://auth.example.com',
  ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
  LOOKUP_TIMEOUT: '700ms',
});

/** Verify with a feed the test drives, and a bus that records what verify sends on it. */
function wired() {
  const status = { rulesKnown: false, ready: false, stale: false, started: false, stopped: false };
  const feed: StateFeed = Object.assign(status, { start: () => void (status.started = true), stop: async () => void (status.stopped = true), lag: () => [] });
  let fed: Parameters<Feed>[0] | null = null;
  const requests: { pattern: string; data: unknown; timeoutMs: number }[] = [];
  const emitted: { pattern: string; data: unknown }[] = [];
  const registry = new Registry();
  const verify = createVerify(settings, {
    feed: (target) => ((fed = target), feed),
    request: async (pattern, data, timeoutMs) => (requests.push({ pattern, data, timeoutMs }), { found: false }),
    emit: (pattern, data) => void emitted.push({ pattern, data }),
    registry,
    now: () => NOW,
  });
  return { verify, status, fed: fed!, requests, emitted, registry };
}

const request = (cookie: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-method': 'GET',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'app.example.com',
  'x-forwarded-uri': '/',
  cookie,
  ...extra,
});

describe('verify wired without a framework', () => {
  it('decides through its handler from the state its feed fills, trusting it only as far as the feed says', async () => {
    const w = wired();
    expect([w.fed.directory, w.fed.sessions, w.fed.staleAfterMs]).toEqual([w.verify.directory, w.verify.sessions, 30_000]);
    const { token, sessionId } = issueSessionToken(settings.SESSION_KEYS);
    const cookie = `gate_session=${token}`;
    w.verify.directory.apply(dirEvent(1, ruleDefined({ id: 'all', host: 'app.example.com', effect: 'allow' })));
    w.verify.directory.compileIfDirty();
    w.verify.sessions.apply(sesEvent(1, started(sessionId, 'ann@example.com', { nowMs: NOW })));

    expect((await inject(w.verify.handler, { url: '/verify', headers: request(cookie) })).statusCode).toBe(503);
    expect(w.verify.isReady()).toBe(false);
    Object.assign(w.status, { rulesKnown: true, ready: true });
    const allowed = await inject(w.verify.handler, { url: '/verify', headers: request(cookie) });
    expect([allowed.statusCode, allowed.headers['x-forwarded-user']]).toEqual([200, 'ann@example.com']);
    expect(w.verify.isReady()).toBe(true);
    w.status.stale = true;
    expect((await inject(w.verify.handler, { url: '/verify', headers: request(cookie) })).statusCode).toBe(503);
    expect(w.verify.isReady()).toBe(false);
  });

  it('asks sessions about an unknown id within LOOKUP_TIMEOUT, and reports sessions seen when stopped', async () => {
    const w = wired();
    Object.assign(w.status, { rulesKnown: true, ready: true });
    w.verify.directory.apply(dirEvent(1, ruleDefined({ id: 'all', host: 'app.example.com', effect: 'allow' })));
    w.verify.directory.compileIfDirty();
    const unknown = issueSessionToken(settings.SESSION_KEYS);
    const res = await inject(w.verify.handler, { url: '/verify', headers: request(`gate_session=${unknown.token}`, { accept: 'text/html' }) });
    expect(res.statusCode).toBe(302);
    expect(w.requests).toEqual([{ pattern: SESSIONS_PATTERNS.lookup, data: { sessionId: unknown.sessionId }, timeoutMs: 700 }]);

    const known = issueSessionToken(settings.SESSION_KEYS);
    w.verify.sessions.apply(sesEvent(1, started(known.sessionId, 'bob@example.com', { nowMs: NOW })));
    expect((await inject(w.verify.handler, { url: '/verify', headers: request(`gate_session=${known.token}`) })).statusCode).toBe(200);
    w.verify.start();
    expect(w.status.started).toBe(true);
    await w.verify.stop();
    expect(w.status.stopped).toBe(true);
    expect(w.emitted).toEqual([{ pattern: SESSIONS_PATTERNS.seen, data: { seen: [{ sessionId: known.sessionId, at: new Date(NOW).toISOString() }] } }]);
  });

  it('registers its metrics, which count its decisions and show each cache by name', async () => {
    const w = wired();
    const { token } = issueSessionToken(settings.SESSION_KEYS);
    await inject(w.verify.handler, { url: '/verify', headers: request(`gate_session=${token}`) });
    const metrics = await w.registry.metrics();
    expect(metrics).toContain('verify_decisions_total{outcome="unavailable"} 1');
    expect(metrics).toMatch(/verify_ready 0/);
    expect(metrics).toContain('verify_cache_entries{cache="verified-cookies"} 1');
    for (const cache of ['verified-cookies', 'accept-headers', 'lookup-negative', 'seen-sampling', 'token-use-sampling', 'assertions', 'group-sets']) {
      expect(metrics).toContain(`verify_cache_evictions_total{cache="${cache}"} 0`);
    }
  });
});
