import { decide, type CompiledRules } from '@gate/access-rules';
import type { ForwardedRequest } from '../request/forwarded-request';
import type { DirectoryState, KnownToken } from '../state/directory-state';
import { identityOf, type Identity } from '../state/identity';
import type { SessionEntry, SessionState } from '../state/session-state';
import type { Verdict } from './verdict';

/** Whether the in-memory state can be trusted right now (`StreamFollower` says so in verify). */
export interface StreamStatus {
  /** The directory is replayed: public rules can be answered (also while not ready or stale). */
  readonly rulesKnown: boolean;
  /** Caught up with the streams as they were at start. */
  readonly ready: boolean;
  /** Not known to be complete within the bound: a revocation may have been missed. */
  readonly stale: boolean;
}

/** Session ids that sessions recently said do not exist (`SessionLookup`'s negative cache). */
export interface KnownMissing {
  isKnownMissing(sessionId: string): boolean;
}

/** The in-memory state a decision reads, and what says whether it can be trusted right now. */
export interface DecisionState {
  readonly directory: DirectoryState;
  readonly sessions: SessionState;
  readonly stream: StreamStatus;
  readonly missing: KnownMissing;
}

/** What the request presents, already read from its headers. */
export interface Credentials {
  /** Public ids of the MAC-valid session cookies of our name, in order (at most a few). */
  readonly sessionIds: readonly string[];
  /** The API token after `Bearer `, or null. */
  readonly bearer: string | null;
  /** base64url(sha256(bearer)), or null. */
  readonly bearerHash: string | null;
  readonly browser: boolean;
}

/**
 * What the lookup of unknown ids gave, on the second pass: `missing` (sessions does not know them,
 * or the lookup budget is spent) or `failed` (sessions did not answer: cannot decide).
 */
export type LookupOutcome = 'missing' | 'failed';

/**
 * Decides one forwarded request from memory, with no I/O, in FORWARD_AUTH.md's order: a public
 * rule (from the last known rules, also while not ready or stale), then 503 while verify cannot
 * decide, then 302/401 without a valid credential, 403 when not allowed, else 200. The one thing it
 * cannot do alone is learn about a MAC-valid session id it has never seen: then it returns
 * `lookup`, and the caller asks sessions and calls again with the outcome (the reply, if any, is
 * already in `state`).
 */
export function decideRequest(state: DecisionState, request: ForwardedRequest, credentials: Credentials, nowMs: number, lookup?: LookupOutcome): Verdict {
  const stream = state.stream;
  if (!stream.rulesKnown) return NOT_READY;
  const rules = state.directory.compiled;
  if (rules === null) return RULES_INVALID;
  if (!stream.ready) return publicOr(rules, request, NOT_READY);
  if (stream.stale) return publicOr(rules, request, STALE);

  if (credentials.bearer !== null) {
    const token = credentials.bearerHash === null ? undefined : state.directory.tokensByHash.get(credentials.bearerHash);
    const identity = token && usable(token, nowMs) ? tokenIdentity(state.directory, token) : null;
    if (identity === null) return publicOr(rules, request, INVALID_TOKEN);
    return decideFor(rules, request, identity, 'token', token!.tokenId);
  }

  if (credentials.sessionIds.length === 0) return publicOr(rules, request, noSession(credentials));

  let unknown: string[] | null = null;
  for (const id of credentials.sessionIds) {
    const entry = state.sessions.sessions.get(id);
    if (entry === undefined) {
      if (!state.missing.isKnownMissing(id)) (unknown ??= []).push(id);
      continue;
    }
    if (entry.ended || entry.expiresAtMs <= nowMs) continue;
    return decideFor(rules, request, sessionIdentity(state.directory, entry), 'session', id);
  }
  if (unknown !== null) {
    if (lookup === undefined) return { kind: 'lookup', sessionIds: unknown };
    if (lookup === 'failed') return publicOr(rules, request, LOOKUP_FAILED);
  }
  return publicOr(rules, request, noSession(credentials));
}

/**
 * The anonymous decision, asked only where the answer would otherwise be a refusal: a public
 * path lets everyone in, whatever is wrong with their credentials or with verify's state.
 */
function publicOr(rules: CompiledRules, request: ForwardedRequest, refusal: Verdict): Verdict {
  return decide(rules, request, null).outcome === 'public' ? PUBLIC : refusal;
}

function decideFor(rules: CompiledRules, request: ForwardedRequest, identity: Identity, via: 'session' | 'token', credential: string): Verdict {
  if (identity.disabled) return publicOr(rules, request, { kind: 'forbidden', reason: 'disabled', identity });
  const decision = decide(rules, request, identity);
  if (decision.outcome === 'allow' || decision.outcome === 'public') return { kind: 'allow', identity, via, credential };
  return { kind: 'forbidden', reason: 'rule', identity };
}

function noSession(credentials: Credentials): Verdict {
  return credentials.browser ? LOGIN : NO_CREDENTIAL;
}

function usable(token: KnownToken, nowMs: number): boolean {
  return token.expiresAtMs === null || token.expiresAtMs > nowMs;
}

/**
 * The identity of a session: the user id, e-mail and name from login, the effective groups
 * (directory groups ∪ identity-provider groups). Cached on the session until the directory changes.
 */
export function sessionIdentity(directory: DirectoryState, entry: SessionEntry): Identity {
  if (entry.identity !== null && entry.identityVersion === directory.version) return entry.identity;
  const groups = [...directory.groupsOf(entry.userId), ...entry.idpGroups];
  entry.identity = identityOf(entry.userId, entry.email, entry.name, groups, directory.disabled.has(entry.userId));
  entry.identityVersion = directory.version;
  return entry.identity;
}

const tokenIdentities = new WeakMap<KnownToken, { identity: Identity | null; version: number }>();

/**
 * The identity of an API token's principal: its directory groups only. Null when the principal
 * no longer exists (a deleted service account): the token is no longer a credential (401).
 */
export function tokenIdentity(directory: DirectoryState, token: KnownToken): Identity | null {
  const cached = tokenIdentities.get(token);
  if (cached && cached.version === directory.version) return cached.identity;
  const id = token.principal;
  let identity: Identity | null = null;
  if (id.startsWith('svc:')) {
    const name = directory.serviceAccounts.get(id);
    if (name !== undefined) identity = identityOf(id, '', name, directory.groupsOf(id), false);
  } else {
    const user = directory.users.get(id);
    identity = identityOf(id, user?.email ?? id, user?.name ?? '', directory.groupsOf(id), directory.disabled.has(id));
  }
  tokenIdentities.set(token, { identity, version: directory.version });
  return identity;
}

const PUBLIC: Verdict = Object.freeze({ kind: 'allow', identity: null, via: 'public', credential: null });
const LOGIN: Verdict = Object.freeze({ kind: 'login' });
const NO_CREDENTIAL: Verdict = Object.freeze({ kind: 'unauthenticated', reason: 'no-credential' });
const INVALID_TOKEN: Verdict = Object.freeze({ kind: 'unauthenticated', reason: 'invalid-token' });
const NOT_READY: Verdict = Object.freeze({ kind: 'unavailable', reason: 'not-ready' });
const STALE: Verdict = Object.freeze({ kind: 'unavailable', reason: 'stale' });
const RULES_INVALID: Verdict = Object.freeze({ kind: 'unavailable', reason: 'rules-invalid' });
const LOOKUP_FAILED: Verdict = Object.freeze({ kind: 'unavailable', reason: 'lookup-failed' });
