import { createHash } from 'node:crypto';
import { parseForwardedRequest, type ForwardedRequest } from '../request/forwarded-request';
import { DirectoryState } from '../state/directory-state';
import { dirEvent, ruleDefined, sesEvent, started, revoked } from '../state/events.fixture';
import { SessionState } from '../state/session-state';
import { decideRequest, type Credentials, type DecisionState } from './decide-request';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const hash = (t: string) => createHash('sha256').update(t).digest('base64url');

function world() {
  const directory = new DirectoryState();
  const sessions = new SessionState();
  const missing = new Set<string>();
  const stream = { rulesKnown: true, ready: true, stale: false };
  const state: DecisionState = { directory, sessions, stream, missing: { isKnownMissing: (id: string) => missing.has(id) } };
  let pos = 0;
  // As the follower does: the rules a batch of events changed are compiled before the next decision.
  const dir = (...events: Parameters<typeof dirEvent>[1][]) => {
    events.forEach((e) => directory.apply(dirEvent(++pos, e)));
    directory.compileIfDirty();
  };
  const ses = (...events: Parameters<typeof sesEvent>[1][]) => events.forEach((e) => sessions.apply(sesEvent(++pos, e)));
  dir(
    ruleDefined({ id: 'pub', host: 'app.example.com', paths: ['/public'], effect: 'public' }),
    ruleDefined({ id: 'admin', host: 'app.example.com', paths: ['/admin'], effect: 'allow', subjects: { groups: ['admins'] } }),
    ruleDefined({ id: 'admin-deny', host: 'app.example.com', paths: ['/admin'], effect: 'deny', priority: 200 }),
    ruleDefined({ id: 'all', host: 'app.example.com', effect: 'allow', priority: 300 }),
  );
  return { state, stream, directory, sessions, missing, dir, ses };
}

function req(uri: string, host = 'app.example.com', method = 'GET'): ForwardedRequest {
  const parsed = parseForwardedRequest({ 'x-forwarded-method': method, 'x-forwarded-proto': 'https', 'x-forwarded-host': host, 'x-forwarded-uri': uri });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.request;
}

const anonymous = (browser = true): Credentials => ({ sessionIds: [], bearer: null, bearerHash: null, browser });
const withSessions = (...sessionIds: string[]): Credentials => ({ sessionIds, bearer: null, bearerHash: null, browser: true });
const withBearer = (token: string): Credentials => ({ sessionIds: [], bearer: token, bearerHash: hash(token), browser: false });

describe('deciding a forwarded request from memory', () => {
  it('allows a logged-in user with identity and effective groups (directory ∪ identity provider)', () => {
    const w = world();
    w.dir({ type: 'MemberAdded', data: { groupId: 'admins', member: 'ann@example.com' } });
    w.ses(started('s1', 'ann@example.com', { groups: ['idp-staff'], nowMs: NOW }));
    const v = decideRequest(w.state, req('/admin/users'), withSessions('s1'), NOW);
    expect(v).toMatchObject({ kind: 'allow', via: 'session', credential: 's1', identity: { id: 'ann@example.com', groupsHeader: 'admins,idp-staff' } });
  });

  it('lets anyone through a public rule: bare for visitors, with identity for a logged-in user', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/public/x'), anonymous(), NOW)).toMatchObject({ kind: 'allow', identity: null, via: 'public' });
    expect(decideRequest(w.state, req('/public/x'), withSessions('s1'), NOW)).toMatchObject({ kind: 'allow', identity: { id: 'bob@example.com' } });
  });

  it('sends a browser without a valid session to log in, and refuses anything else with 401, whatever the host', () => {
    const w = world();
    expect(decideRequest(w.state, req('/'), anonymous(true), NOW)).toEqual({ kind: 'login' });
    expect(decideRequest(w.state, req('/'), anonymous(false), NOW)).toEqual({ kind: 'unauthenticated', reason: 'no-credential' });
    expect(decideRequest(w.state, req('/', 'unknown.example.net'), anonymous(true), NOW)).toEqual({ kind: 'login' });
  });

  it('forbids a logged-in user the rules keep out, including on a host that no rule names', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/admin'), withSessions('s1'), NOW)).toMatchObject({ kind: 'forbidden', reason: 'rule' });
    expect(decideRequest(w.state, req('/', 'other.example.com'), withSessions('s1'), NOW)).toMatchObject({ kind: 'forbidden', reason: 'rule' });
  });

  it('refuses a revoked session, an expired one (no event needed), and a disabled user at once', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }), started('s2', 'cat@example.com', { nowMs: NOW, expiresAtMs: NOW + 1000 }), started('s3', 'dan@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/'), withSessions('s1'), NOW)).toMatchObject({ kind: 'allow' });
    w.ses(revoked('s1', 'bob@example.com'));
    expect(decideRequest(w.state, req('/'), withSessions('s1'), NOW)).toEqual({ kind: 'login' });
    expect(decideRequest(w.state, req('/'), withSessions('s2'), NOW + 999)).toMatchObject({ kind: 'allow' });
    expect(decideRequest(w.state, req('/'), withSessions('s2'), NOW + 1000)).toEqual({ kind: 'login' });
    expect(decideRequest(w.state, req('/'), withSessions('s3'), NOW)).toMatchObject({ kind: 'allow' });
    w.dir({ type: 'UserDisabled', data: { userId: 'dan@example.com' } });
    expect(decideRequest(w.state, req('/'), withSessions('s3'), NOW)).toMatchObject({ kind: 'forbidden', reason: 'disabled' });
    expect(decideRequest(w.state, req('/public'), withSessions('s3'), NOW)).toMatchObject({ kind: 'allow', identity: null });
  });

  it('with several session cookies uses the first live one, never an identity not presented', () => {
    const w = world();
    w.ses(started('dead', 'old@example.com', { nowMs: NOW }), revoked('dead', 'old@example.com'), started('live', 'new@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/'), withSessions('dead', 'live'), NOW)).toMatchObject({ kind: 'allow', identity: { id: 'new@example.com' } });
  });

  it('asks for a lookup of a well-formed unknown id, then decides with what the lookup gave', () => {
    const w = world();
    expect(decideRequest(w.state, req('/'), withSessions('fresh'), NOW)).toEqual({ kind: 'lookup', sessionIds: ['fresh'] });
    expect(decideRequest(w.state, req('/'), withSessions('fresh'), NOW, 'missing')).toEqual({ kind: 'login' });
    expect(decideRequest(w.state, req('/'), withSessions('fresh'), NOW, 'failed')).toEqual({ kind: 'unavailable', reason: 'lookup-failed' });
    expect(decideRequest(w.state, req('/public'), withSessions('fresh'), NOW, 'failed')).toMatchObject({ kind: 'allow', identity: null });
    w.ses(started('fresh', 'eve@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/'), withSessions('fresh'), NOW, 'missing')).toMatchObject({ kind: 'allow' });
    w.missing.add('gone');
    expect(decideRequest(w.state, req('/'), withSessions('gone'), NOW)).toEqual({ kind: 'login' });
  });

  it('before the directory is replayed answers nothing but 503, not even public paths', () => {
    const w = world();
    w.stream.rulesKnown = false;
    w.stream.ready = false;
    expect(decideRequest(w.state, req('/public'), anonymous(), NOW)).toEqual({ kind: 'unavailable', reason: 'not-ready' });
  });

  it('while not ready answers public paths from the last known rules, and 503 for everything else', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }));
    w.stream.ready = false;
    expect(decideRequest(w.state, req('/public'), anonymous(), NOW)).toMatchObject({ kind: 'allow', via: 'public', identity: null });
    expect(decideRequest(w.state, req('/public'), withSessions('s1'), NOW)).toMatchObject({ kind: 'allow', via: 'public', identity: null });
    expect(decideRequest(w.state, req('/'), withSessions('s1'), NOW)).toEqual({ kind: 'unavailable', reason: 'not-ready' });
    expect(decideRequest(w.state, req('/'), anonymous(true), NOW)).toEqual({ kind: 'unavailable', reason: 'not-ready' });
  });

  it('while stale answers 503 to sessions, tokens and requests without any credential alike (public still passes)', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }));
    w.stream.stale = true;
    expect(decideRequest(w.state, req('/'), withSessions('s1'), NOW)).toEqual({ kind: 'unavailable', reason: 'stale' });
    expect(decideRequest(w.state, req('/'), withBearer('t'), NOW)).toEqual({ kind: 'unavailable', reason: 'stale' });
    expect(decideRequest(w.state, req('/'), anonymous(true), NOW)).toEqual({ kind: 'unavailable', reason: 'stale' });
    expect(decideRequest(w.state, req('/'), anonymous(false), NOW)).toEqual({ kind: 'unavailable', reason: 'stale' });
    expect(decideRequest(w.state, req('/public'), withSessions('s1'), NOW)).toMatchObject({ kind: 'allow', identity: null });
  });

  it('answers 503 rather than decide with a rule set it could not compile', () => {
    const w = world();
    w.dir(ruleDefined({ id: 'bad', host: '*.com', effect: 'allow' }));
    expect(decideRequest(w.state, req('/public'), anonymous(), NOW)).toEqual({ kind: 'unavailable', reason: 'rules-invalid' });
  });

  it('decides bearer tokens by the same rules: principal id, directory groups; unknown, expired or revoked is 401', () => {
    const w = world();
    w.dir(
      { type: 'ServiceAccountCreated', data: { accountId: 'svc:ci', name: 'CI' } },
      { type: 'MemberAdded', data: { groupId: 'admins', member: 'svc:ci' } },
      { type: 'ApiTokenIssued', data: { tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash: hash('secret-1'), expiresAt: null } },
      { type: 'ApiTokenIssued', data: { tokenId: 't2', principal: 'svc:ci', name: 'old', tokenHash: hash('secret-2'), expiresAt: new Date(NOW - 1).toISOString() } },
    );
    expect(decideRequest(w.state, req('/admin'), withBearer('secret-1'), NOW)).toMatchObject({ kind: 'allow', via: 'token', credential: 't1', identity: { id: 'svc:ci', email: '', name: 'CI', groupsHeader: 'admins' } });
    expect(decideRequest(w.state, req('/admin'), withBearer('secret-2'), NOW)).toEqual({ kind: 'unauthenticated', reason: 'invalid-token' });
    expect(decideRequest(w.state, req('/admin'), withBearer('nope'), NOW)).toEqual({ kind: 'unauthenticated', reason: 'invalid-token' });
    w.dir({ type: 'ApiTokenRevoked', data: { tokenId: 't1' } });
    expect(decideRequest(w.state, req('/admin'), withBearer('secret-1'), NOW)).toEqual({ kind: 'unauthenticated', reason: 'invalid-token' });
  });

  it('refuses the token of a deleted service account (401) and of a disabled user (403)', () => {
    const w = world();
    w.dir(
      { type: 'ServiceAccountCreated', data: { accountId: 'svc:ci', name: 'CI' } },
      { type: 'ApiTokenIssued', data: { tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash: hash('s1'), expiresAt: null } },
      { type: 'ApiTokenIssued', data: { tokenId: 't2', principal: 'ann@example.com', name: 'ann', tokenHash: hash('s2'), expiresAt: null } },
    );
    expect(decideRequest(w.state, req('/'), withBearer('s2'), NOW)).toMatchObject({ kind: 'allow', identity: { id: 'ann@example.com' } });
    w.dir({ type: 'ServiceAccountDeleted', data: { accountId: 'svc:ci' } }, { type: 'UserDisabled', data: { userId: 'ann@example.com' } });
    expect(decideRequest(w.state, req('/'), withBearer('s1'), NOW)).toEqual({ kind: 'unauthenticated', reason: 'invalid-token' });
    expect(decideRequest(w.state, req('/'), withBearer('s2'), NOW)).toMatchObject({ kind: 'forbidden', reason: 'disabled' });
  });

  it('rebuilds a cached identity when the directory changes (a membership added without restart)', () => {
    const w = world();
    w.ses(started('s1', 'bob@example.com', { nowMs: NOW }));
    expect(decideRequest(w.state, req('/admin'), withSessions('s1'), NOW)).toMatchObject({ kind: 'forbidden' });
    w.dir({ type: 'MemberAdded', data: { groupId: 'admins', member: 'bob@example.com' } });
    expect(decideRequest(w.state, req('/admin'), withSessions('s1'), NOW)).toMatchObject({ kind: 'allow', identity: { groupsHeader: 'admins' } });
  });
});
