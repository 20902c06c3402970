import type { IncomingHttpHeaders } from 'node:http';
import { BoundedMap } from '@gate/bounded-map';
import { hashApiToken } from '@gate/events';
import { sessionCookieValues, verifySessionToken, type Keyring } from '@gate/session-token';
import type { AssertionIssuer } from './assertion/assertion-issuer';
import { decideRequest, type Credentials, type DecisionState } from './decision/decide-request';
import type { Verdict } from './decision/verdict';
import type { SessionLookup } from './lookup/session-lookup';
import { isBrowserNavigation } from './request/browser-navigation';
import { parseForwardedRequest, type ForwardedRequest } from './request/forwarded-request';

/** One forwardAuth answer before it becomes HTTP: the verdict and, when allowed with an identity, its assertion. */
export interface Answer {
  readonly verdict: Verdict;
  readonly request: ForwardedRequest | null;
  readonly browser: boolean;
  readonly assertion: string | null;
}

/** Records a use off the hot path (`UsageReporter` satisfies it). */
export interface UsageRecorder {
  record(key: string, nowMs: number): void;
}

/** What the use case needs around the pure decision. */
export interface ForwardAuthDeps {
  readonly state: DecisionState;
  readonly keyring: Keyring;
  readonly cookieName: string;
  readonly lookup: SessionLookup;
  readonly issuer: AssertionIssuer;
  /** Notes that a session was used (sampled, batched, sent later). */
  readonly seen: UsageRecorder;
  /** Notes that an API token was used. */
  readonly tokensUsed: UsageRecorder;
  readonly now?: () => number;
}

const MAX_BEARER_LENGTH = 1024;
/** Verified cookies remembered (about 150 B each). */
export const VERIFIED_COOKIES_MAX = 50_000;

/**
 * The forwardAuth use case: reads the forwarded request and the credentials from the headers,
 * decides from memory, looks up an unknown session id only when the decision asks for it, signs
 * (or reuses) the assertion and queues last-seen / token-use reports. Synchronous unless a lookup
 * is needed, so the common case allocates no promise.
 */
export class ForwardAuth {
  /**
   * MAC-verified cookie values → public session id: saves two hashes per request. FIFO: a hit is a
   * plain `Map.get` on the hot path; an evicted cookie costs one more MAC check, then is back.
   */
  readonly verifiedCookies = new BoundedMap<string, string>(VERIFIED_COOKIES_MAX);
  private readonly now: () => number;

  constructor(private readonly deps: ForwardAuthDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Answers one forwarded request; a Promise only when an unknown session id must be looked up. */
  answer(headers: IncomingHttpHeaders): Answer | Promise<Answer> {
    const parsed = parseForwardedRequest(headers);
    if (!parsed.ok) return { verdict: { kind: 'malformed', reason: parsed.reason }, request: null, browser: false, assertion: null };
    const request = parsed.request;
    const credentials = this.credentialsOf(headers, request.method);
    const nowMs = this.now();
    const verdict = decideRequest(this.deps.state, request, credentials, nowMs);
    if (verdict.kind !== 'lookup') return this.finish(verdict, request, credentials, nowMs);
    return this.deps.lookup.lookUp(verdict.sessionIds).then((outcome) => {
      const at = this.now();
      return this.finish(decideRequest(this.deps.state, request, credentials, at, outcome), request, credentials, at);
    });
  }

  private finish(verdict: Verdict, request: ForwardedRequest, credentials: Credentials, nowMs: number): Answer {
    let assertion: string | null = null;
    if (verdict.kind === 'allow' && verdict.identity !== null) {
      assertion = this.deps.issuer.assertionFor(verdict.identity, request.host, Math.floor(nowMs / 1000));
      if (verdict.via === 'session') this.deps.seen.record(verdict.credential!, nowMs);
      else this.deps.tokensUsed.record(verdict.credential!, nowMs);
    }
    return { verdict, request, browser: credentials.browser, assertion };
  }

  private credentialsOf(headers: IncomingHttpHeaders, method: string): Credentials {
    const browser = isBrowserNavigation(method, headers);
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
      const bearer = authorization.slice(7).trim();
      const ok = bearer.length > 0 && bearer.length <= MAX_BEARER_LENGTH;
      const bearerHash = ok ? hashApiToken(bearer) : null;
      return { sessionIds: NONE, bearer, bearerHash, browser };
    }
    const values = sessionCookieValues(headers.cookie, this.deps.cookieName);
    if (values.length === 0) return { sessionIds: NONE, bearer: null, bearerHash: null, browser };
    const ids: string[] = [];
    for (const value of values) {
      const id = this.sessionIdOf(value);
      if (id !== null && !ids.includes(id)) ids.push(id);
    }
    return { sessionIds: ids, bearer: null, bearerHash: null, browser };
  }

  private sessionIdOf(cookieValue: string): string | null {
    const cached = this.verifiedCookies.get(cookieValue);
    if (cached !== undefined) return cached;
    const id = verifySessionToken(this.deps.keyring, cookieValue);
    if (id === null) return null;
    this.verifiedCookies.set(cookieValue, id);
    return id;
  }
}

const NONE: readonly string[] = Object.freeze([]);
