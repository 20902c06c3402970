/**
 * Verify as the service builds it (`createVerify`), in one process without HTTP, NATS or Nest, for
 * the in-process benches. The one difference is the feed: instead of following the streams, the
 * events that `seedStreams` publishes are applied here directly, and the state is trusted as
 * complete and fresh. Lookups fail (every bench session is known); usage reports go nowhere.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '@gate/config';
import { generateAssertionKey } from '@gate/identity-assertion';
import { issueSessionToken } from '@gate/session-token';
import { Registry } from 'prom-client';
import { verifySettingsSchema } from '../services/verify/src/config';
import { createVerify, type StateFeed, type Verify } from '../services/verify/src/create-verify';
import { dirEvent, sesEvent } from '../services/verify/src/state/events.fixture';
import { benchRule, benchSession, forwardedHeaders } from './verify-seed';

export const COOKIE_NAME = 'gate_session';

/** Verify with the bench's state, and the cookies that open it. */
export interface InProcessVerify extends Verify {
  /** `Cookie` header values (`gate_session=…`) of the first `cookies` sessions. */
  readonly cookies: string[];
}

/** A feed that follows nothing: the bench applies the events itself, and all of them at once. */
const APPLIED_HERE: StateFeed = { rulesKnown: true, ready: true, stale: false, start: () => undefined, stop: async () => undefined, lag: () => [] };

export function inProcessVerify(opts: { sessions: number; rules: number; cookies: number }): InProcessVerify {
  const settings = loadConfig(verifySettingsSchema, {
    SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SESSION_COOKIE_NAME: COOKIE_NAME,
    AUTH_URL: 'https://auth.example.com',
    ASSERTION_KEYS: JSON.stringify([generateAssertionKey('a1')]),
  });
  const verify = createVerify(settings, {
    feed: () => APPLIED_HERE,
    request: () => Promise.reject(new Error('no lookups in the benches')),
    emit: () => undefined,
    registry: new Registry(),
  });
  for (let i = 0; i < opts.rules; i++) verify.directory.apply(dirEvent(i + 1, { type: 'RuleDefined', data: { rule: benchRule(i) } }));
  verify.directory.compileIfDirty();
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  const cookies: string[] = [];
  for (let i = 0; i < opts.sessions; i++) {
    const { token, sessionId } = issueSessionToken(settings.SESSION_KEYS);
    if (i < opts.cookies) cookies.push(`${COOKIE_NAME}=${token}`);
    verify.sessions.apply(sesEvent(i + 1, { type: 'SessionStarted', data: benchSession(i, sessionId, expiresAt) }));
  }
  return { ...verify, cookies };
}

/** The `/verify` request Traefik would send for a browser holding `cookie`, as node hands it over. */
export function forwardedRequest(cookie: string): IncomingMessage {
  return { url: '/verify', headers: { host: '127.0.0.1', connection: 'keep-alive', ...forwardedHeaders(cookie) } } as unknown as IncomingMessage;
}

/** A response for the handler that only remembers the status it was last answered with. */
export function recordingResponse(): { response: ServerResponse; status: () => number } {
  let status = 0;
  const response = { headersSent: false, writeHead: (code: number) => ((status = code), response), end: () => undefined, destroy: () => undefined };
  return { response: response as unknown as ServerResponse, status: () => status };
}
