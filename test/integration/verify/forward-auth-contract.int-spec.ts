import { createHash } from 'node:crypto';
import { AssertionVerifier } from '@gate/identity-assertion';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AUTH_URL, BROWSER, forwarded, verifyRequest, VerifyWorld } from './verify-harness';

// Every row of FORWARD_AUTH.md's table, the host/path cases, spoofed identity headers, garbage
// cookies, bearer tokens and the JWKS, against a verify fed by real events over JetStream.
describe('verify answers Traefik as FORWARD_AUTH.md specifies', () => {
  let world: VerifyWorld;
  let app: NestFastifyApplication;
  let ann: Awaited<ReturnType<VerifyWorld['startSession']>>;
  let bob: Awaited<ReturnType<VerifyWorld['startSession']>>;
  const apiToken = 'api-token-secret-of-the-ci-account-0123456789';

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'public', host: 'app.example.com', paths: ['/public'], effect: 'public' });
    await world.rule({ id: 'admins', host: 'app.example.com', paths: ['/admin'], effect: 'allow', subjects: { groups: ['admins'] } });
    await world.rule({ id: 'admin-deny', host: 'app.example.com', paths: ['/admin'], effect: 'deny', priority: 200 });
    await world.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow', priority: 300 });
    await world.rule({ id: 'wild', host: '*.example.org', effect: 'allow', subjects: { users: ['ann@example.com'] } });
    await world.dir('group:admins', { type: 'GroupCreated', data: { groupId: 'admins', name: 'Admins' } }, { type: 'MemberAdded', data: { groupId: 'admins', member: 'ann@example.com' } });
    await world.dir('svc:ci', { type: 'ServiceAccountCreated', data: { accountId: 'svc:ci', name: 'CI' } }, { type: 'MemberAdded', data: { groupId: 'admins', member: 'svc:ci' } });
    const tokenHash = createHash('sha256').update(apiToken).digest('base64url');
    await world.dir('token:t1', { type: 'ApiTokenIssued', data: { tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash, expiresAt: null } });
    ann = await world.startSession('ann@example.com', { groups: ['idp-staff'] });
    bob = await world.startSession('bob@example.com');
    app = await world.boot();
  });
  afterAll(() => world.destroy());

  describe('the table', () => {
    it('200 with identity headers for an allowed session: user, e-mail, name, sorted effective groups, assertion', async () => {
      const res = await forwarded(app, { uri: '/admin/users', headers: { cookie: ann.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-forwarded-user': 'ann@example.com',
        'x-forwarded-user-email': 'ann@example.com',
        'x-forwarded-user-name': 'Name of ann',
        'x-forwarded-user-groups': 'admins,idp-staff',
      });
      const verifier = new AssertionVerifier({ issuer: AUTH_URL, jwks: JSON.parse((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).body) });
      const claims = await verifier.verify(String(res.headers['x-forwarded-user-assertion']), 'app.example.com');
      expect(claims).toMatchObject({ sub: 'ann@example.com', email: 'ann@example.com', groups: ['admins', 'idp-staff'] });
      await expect(verifier.verify(String(res.headers['x-forwarded-user-assertion']), 'other.example.com')).rejects.toThrow();
    });

    it('200 with identity headers for a bearer token of a service account, decided by the same rules', async () => {
      const res = await forwarded(app, { uri: '/admin', headers: { authorization: `Bearer ${apiToken}`, accept: '*/*' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({ 'x-forwarded-user': 'svc:ci', 'x-forwarded-user-name': 'CI', 'x-forwarded-user-groups': 'admins' });
      expect(res.headers['x-forwarded-user-email']).toBeUndefined();
      const bad = await forwarded(app, { uri: '/admin', headers: { authorization: 'Bearer not-a-token' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="auth\.example\.com", error="invalid_token"$/);
    });

    it('200 bare on a public rule for a visitor, with identity for a logged-in user', async () => {
      const visitor = await forwarded(app, { uri: '/public/index.html', headers: BROWSER });
      expect(visitor.statusCode).toBe(200);
      expect(Object.keys(visitor.headers).filter((h) => h.startsWith('x-forwarded-user'))).toEqual([]);
      const user = await forwarded(app, { uri: '/public/index.html', headers: { cookie: bob.cookie } });
      expect([user.statusCode, user.headers['x-forwarded-user']]).toEqual([200, 'bob@example.com']);
    });

    it('302 to the absolute login URL with the original URL for a browser without a valid session', async () => {
      const res = await forwarded(app, { host: 'App.Example.com:8443', uri: '/reports?year=2026&q=a%20b', headers: BROWSER });
      expect(res.statusCode).toBe(302);
      const location = new URL(String(res.headers.location));
      expect(`${location.origin}${location.pathname}`).toBe(`${AUTH_URL}/login`);
      expect(location.searchParams.get('rd')).toBe('https://App.Example.com:8443/reports?year=2026&q=a%20b');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('401 JSON with WWW-Authenticate for anything else without a valid session: curl, fetch, POST, preflight', async () => {
      for (const [method, headers] of [
        ['GET', { accept: '*/*' }],
        ['GET', { ...BROWSER, 'x-requested-with': 'XMLHttpRequest' }],
        ['POST', BROWSER],
        ['OPTIONS', {}],
      ] as const) {
        const res = await forwarded(app, { method, headers });
        expect([method, res.statusCode]).toEqual([method, 401]);
        expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      }
    });

    it('403 for a logged-in user who is not allowed (HTML for browsers, JSON otherwise), also on a host no rule names', async () => {
      const html = await forwarded(app, { uri: '/admin', headers: { cookie: bob.cookie, ...BROWSER } });
      expect([html.statusCode, html.headers['content-type']]).toEqual([403, 'text/html; charset=utf-8']);
      const json = await forwarded(app, { uri: '/admin', headers: { cookie: bob.cookie, accept: 'application/json' } });
      expect([json.statusCode, json.json().error.code]).toEqual([403, 'FORBIDDEN']);
      const unnamed = await forwarded(app, { host: 'unlisted.example.net', headers: { cookie: ann.cookie } });
      expect(unnamed.statusCode).toBe(403);
      for (const res of [html, json, unnamed]) expect(Object.keys(res.headers).filter((h) => h.startsWith('x-forwarded-user'))).toEqual([]);
    });

    it('400 (never a redirect) for malformed forwarded requests', async () => {
      const cases: Record<string, string>[] = [
        { 'x-forwarded-host': '' },
        { 'x-forwarded-method': 'GETz' },
        { 'x-forwarded-method': 'post' },
        { 'x-forwarded-proto': 'gopher' },
        { 'x-forwarded-host': 'user@app.example.com' },
        { 'x-forwarded-host': 'app.example.com, evil.example.com' },
        { 'x-forwarded-uri': 'admin' },
        { 'x-forwarded-uri': '/a%2Fb' },
        { 'x-forwarded-uri': '/a%5Cb' },
        { 'x-forwarded-uri': '/public/..;/admin' },
      ];
      for (const headers of cases) {
        const res = await forwarded(app, { headers: { ...headers, ...BROWSER, cookie: ann.cookie } });
        expect([headers, res.statusCode]).toEqual([headers, 400]);
        expect(res.headers.location).toBeUndefined();
        expect(res.json().error.code).toBe('MALFORMED_FORWARDED_REQUEST');
      }
      const missing = await verifyRequest(app, { 'x-forwarded-host': 'app.example.com', ...BROWSER });
      expect(missing.statusCode).toBe(400);
    });

    it('400 with no-store for a raw # in the path, which would otherwise hide /admin behind the public /public', async () => {
      for (const headers of [BROWSER, { cookie: bob.cookie }, { cookie: ann.cookie }]) {
        const res = await forwarded(app, { uri: '/public#/../admin', headers });
        expect([res.statusCode, res.headers['cache-control'], res.headers.location, res.json().error.code]).toEqual([400, 'no-store', undefined, 'MALFORMED_FORWARDED_REQUEST']);
        expect(Object.keys(res.headers).filter((h) => h.startsWith('x-forwarded-user'))).toEqual([]);
      }
      // %23 is decided as part of the path: /public#x is not under /public, /public/#x is.
      const statuses = await Promise.all(['/public%23x', '/public/%23x'].map(async (uri) => (await forwarded(app, { uri, headers: BROWSER })).statusCode));
      expect(statuses).toEqual([302, 200]);
    });

    it('answers any method and ignores a forwarded body (forwardBody)', async () => {
      const headers = { 'x-forwarded-method': 'POST', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/form', 'content-type': 'application/json', cookie: ann.cookie };
      for (const method of ['POST', 'PUT', 'DELETE'] as const) {
        const res = await verifyRequest(app, headers, { method, payload: '{"not": "read"' });
        expect([method, res.statusCode, res.headers['x-forwarded-user']]).toEqual([method, 200, 'ann@example.com']);
      }
    });

  });

  describe('identity only from verify', () => {
    it('never turns a spoofed X-Forwarded-User (or its cousins) into an identity', async () => {
      const spoof = { 'x-forwarded-user': 'admin@example.com', 'x-forwarded-user-groups': 'admins', 'x-forwarded-user-assertion': 'forged', 'remote-user': 'admin@example.com' };
      const anon = await forwarded(app, { uri: '/admin', headers: { ...spoof, ...BROWSER } });
      expect(anon.statusCode).toBe(302);
      const asBob = await forwarded(app, { uri: '/', headers: { ...spoof, cookie: bob.cookie } });
      expect([asBob.statusCode, asBob.headers['x-forwarded-user'], asBob.headers['x-forwarded-user-groups']]).toEqual([200, 'bob@example.com', undefined]);
      const bobAdmin = await forwarded(app, { uri: '/admin', headers: { ...spoof, cookie: bob.cookie } });
      expect(bobAdmin.statusCode).toBe(403);
    });

    it('reads only Traefik headers: Forwarded, X-Forwarded-Prefix, X-Original-* and odd spellings change nothing', async () => {
      const res = await forwarded(app, {
        uri: '/admin',
        headers: { cookie: bob.cookie, forwarded: 'host=app.example.com;proto=https', 'x-forwarded-prefix': '/public', 'x-original-uri': '/public', 'x-original-url': '/public', x_forwarded_uri: '/public', 'x.forwarded.uri': '/public' },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('hosts and paths', () => {
    it.each([
      ['APP.EXAMPLE.COM', '/admin', 403],
      ['app.example.com.', '/admin', 403],
      ['app.example.com:443', '/public/../admin', 403],
      ['app.example.com', '/public/%2e%2e/admin', 403],
      ['app.example.com', '//admin', 403],
      ['app.example.com', '/x//../admin', 403],
      ['app.example.com', '/ADMIN', 200],
      ['app.example.com', '/adminx', 200],
      ['app.example.com', '/public?/admin', 200],
      // %23 is a # inside a segment, never a fragment: /public#x is not under /public, and the
      // dot segments after it still count.
      ['app.example.com', '/public%23x', 200],
      ['app.example.com', '/public/%23/../../admin', 403],
      ['a.example.org', '/', 403],
      ['example.org', '/', 403],
      ['evil-example.org', '/', 403],
    ])('for bob: %s %s → %i', async (host, uri, status) => {
      const res = await forwarded(app, { host, uri, headers: { cookie: bob.cookie } });
      expect(res.statusCode).toBe(status);
    });

    it.each([
      ['a.example.org', 200],
      ['a.b.example.org', 200],
      ['example.org', 403],
      ['evil-example.org', 403],
      ['example.org.evil.net', 403],
    ])('the wildcard *.example.org for ann: %s → %i', async (host, status) => {
      expect((await forwarded(app, { host, headers: { cookie: ann.cookie } })).statusCode).toBe(status);
    });
  });

  describe('garbage cookies get 302/401, never 5xx', () => {
    const garbage = ['gate_session=', `gate_session=${'A'.repeat(8192)}`, 'gate_session=\u00ff\u00fe\u00fd.%E0%A4%A.x', 'gate_session=a.b.c; gate_session=d.e.f', 'gate_session', ';;;', 'gate_session="unterminated'];
    it.each(garbage.map((g, i) => [i, g]))('cookie #%i', async (_i, cookie) => {
      const browser = await forwarded(app, { headers: { cookie: String(cookie), ...BROWSER } });
      expect(browser.statusCode).toBe(302);
      const api = await forwarded(app, { headers: { cookie: String(cookie), accept: 'application/json' } });
      expect(api.statusCode).toBe(401);
    });

    it('several session cookies: a garbage one and a valid one give the valid identity, never another', async () => {
      const res = await forwarded(app, { headers: { cookie: `gate_session=garbage; ${bob.cookie}; gate_session=${'x'.repeat(100)}` } });
      expect([res.statusCode, res.headers['x-forwarded-user']]).toEqual([200, 'bob@example.com']);
      const two = await forwarded(app, { headers: { cookie: `${bob.cookie}; ${ann.cookie}` } });
      expect(['bob@example.com', 'ann@example.com']).toContain(two.headers['x-forwarded-user']);
      expect(world.lookupCalls).toEqual([]);
    });
  });

  it('publishes the JWKS and counts decisions by outcome in /metrics', async () => {
    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.json().keys).toEqual([expect.objectContaining({ kid: 'a1', kty: 'OKP', alg: 'EdDSA' })]);
    expect(jwks.json().keys[0].d).toBeUndefined();
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^verify_decisions_total\{outcome="allow",service="verify"\} [1-9]/m);
    expect(metrics).toMatch(/^verify_decisions_total\{outcome="login",service="verify"\} [1-9]/m);
    expect(metrics).toMatch(/^verify_decision_seconds_count\{service="verify"\} [1-9]/m);
    expect(metrics).toMatch(/^verify_sessions\{state="active",service="verify"\} 2$/m);
    expect(metrics).toMatch(/^verify_rules\{service="verify"\} 5$/m);
    expect(metrics).toMatch(/^verify_event_lag\{stream="AUTH_SESSIONS",service="verify"\} 0$/m);
    expect(metrics).toMatch(/^# TYPE verify_propagation_seconds histogram$/m);
  });
});
