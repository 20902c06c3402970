import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { directoryEvents } from '@gate/events';
import { EVENT_STORE, rebuildProjection, type EventStore } from '@gate/eventstore';
import { streamNameOf } from '@gate/messaging';
import { DirectoryProjection } from '../../../services/directory/src/read-model/directory.projection';
import { TestNatsServer } from '../../support/nats-server';
import { sql } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';
import { bootDirectory, bootstrapTokenFile, dropSchema, freshSchemaName } from './boot-directory';
import { jetstreamManager } from '@nats-io/jetstream';

describe('directory admin API over HTTP (real Postgres and NATS)', () => {
  let nats: TestNatsServer;
  let app: NestFastifyApplication;
  const schema = freshSchemaName();
  const secret = bootstrapTokenFile();

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    app = await bootDirectory({ DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_TOKEN_FILE: secret.file, ADMIN_EMAILS: 'root@example.com' });
  });
  afterAll(async () => {
    await app?.close();
    await dropSchema(schema);
    await nats.destroy();
    secret.remove();
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}) =>
    app.inject({
      method,
      url: `/api/directory${url}`,
      headers: { ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? secret.token}` }), ...options.headers },
      ...(options.body !== undefined ? { payload: options.body as object } : {}),
    });
  const eventCount = async () => (await sql<{ n: number }>(`select count(*)::int as n from "${schema}".event`))[0].n;

  it('creates a group and adds members; every change is an event on auth.directory.> in JetStream', async () => {
    const created = await api('POST', '/groups', { body: { id: 'wiki-editors', name: 'Wiki editors' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({ id: 'wiki-editors', name: 'Wiki editors', members: [], version: 1 });

    const added = await api('POST', '/groups/wiki-editors/members', { body: { member: 'Alice@Example.com' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ members: ['alice@example.com'], version: 2 });
    expect((await api('GET', '/groups?member=alice@example.com')).json().items.map((g: { id: string }) => g.id)).toEqual(['wiki-editors']);

    const nc = await nats.connect('reader');
    try {
      const jsm = await jetstreamManager(nc);
      const stream = streamNameOf('directory');
      const head = await eventCount();
      await waitFor('the directory events on JetStream', async () => (await jsm.streams.info(stream)).state.messages === head);
      const last = await jsm.streams.getMessage(stream, { last_by_subj: 'auth.directory.group.wiki-editors' });
      expect(last?.json()).toMatchObject({ type: 'MemberAdded', data: { groupId: 'wiki-editors', member: 'alice@example.com' }, actor: 'svc:bootstrap' });
    } finally {
      await nc.close();
    }
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    await api('POST', '/groups', { body: { id: 'ops', name: 'Ops' } });
    const renamed = await api('PATCH', '/groups/ops', { body: { name: 'Operations' }, headers: { 'if-match': '"1"' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.headers.etag).toBe('"2"');
    const before = await eventCount();

    const stale = await api('PATCH', '/groups/ops', { body: { name: 'Oops' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('EVENTSTORE.CONCURRENCY');
    const staleDelete = await api('DELETE', '/groups/ops', { headers: { 'if-match': 'W/"1"' } });
    expect(staleDelete.statusCode).toBe(412);
    expect(await eventCount()).toBe(before);
    expect((await api('GET', '/groups/ops')).json()).toMatchObject({ name: 'Operations', version: 2 });

    expect((await api('PATCH', '/groups/ops', { body: { name: 'x' }, headers: { 'if-match': 'banana' } })).json().error.code).toBe('DIRECTORY.INVALID_IF_MATCH');
    expect((await api('DELETE', '/groups/ops', { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    expect((await api('GET', '/groups/ops')).statusCode).toBe(404);
  });

  it('answers 400 to invalid input with a code and a message, and changes nothing', async () => {
    const before = await eventCount();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/rules', { priority: 1, host: '*.com', effect: 'allow' }, 'RULES.INVALID_HOST_PATTERN'],
      ['POST', '/rules', { priority: 1, host: 'wiki.example.com', effect: 'allow', subjects: { groups: ['nobody-here'] } }, 'DIRECTORY.UNKNOWN_GROUP'],
      ['POST', '/rules', { priority: 1, host: 'wiki.example.com', effect: 'maybe' }, 'RULES.INVALID_EFFECT'],
      ['POST', '/rules', { priority: 1, host: 'wiki.example.com', effect: 'allow', path: ['/x'] }, 'RULES.INVALID_RULE'],
      ['POST', '/groups', { id: 'Bad Name', name: 'x' }, 'DIRECTORY.INVALID_INPUT'],
      ['POST', '/groups', { id: 'empty-name', name: '   ' }, 'DIRECTORY.INVALID_INPUT'],
      ['POST', '/users', { email: 'not-an-email', name: 'X' }, 'DIRECTORY.INVALID_INPUT'],
      ['POST', '/groups/wiki-editors/members', { member: 'svc:ghost' }, 'DIRECTORY.UNKNOWN_PRINCIPAL'],
      ['POST', '/groups/wiki-editors/members', { members: ['bob@example.com', 'svc:ghost'] }, 'DIRECTORY.UNKNOWN_PRINCIPAL'],
      ['POST', '/groups/wiki-editors/members', { members: ['bob@example.com', 'not an id'] }, 'DIRECTORY.INVALID_INPUT'],
      ['POST', '/groups/wiki-editors/members', { member: 'bob@example.com', members: ['carl@example.com'] }, 'DIRECTORY.INVALID_INPUT'],
      ['POST', '/tokens', { principal: 'nobody@example.com', name: 'x' }, 'DIRECTORY.UNKNOWN_PRINCIPAL'],
    ];
    for (const [method, url, body, code] of cases) {
      const res = await api(method as 'POST', url, { body });
      expect({ url, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, status: 400, code });
      expect(res.json().error.message).toEqual(expect.any(String));
    }
    const malformed = await app.inject({ method: 'POST', url: '/api/directory/groups', headers: { authorization: `Bearer ${secret.token}`, 'content-type': 'application/json' }, payload: '{"id": "x",' });
    expect([malformed.statusCode, malformed.json().error?.code]).toEqual([400, 'HTTP.BAD_REQUEST']);
    expect(await eventCount()).toBe(before);
    expect((await api('GET', '/rules')).json().total).toBe(0);
  });

  it('answers 409 to a duplicate and 404 to a missing resource', async () => {
    expect((await api('POST', '/groups', { body: { id: 'wiki-editors', name: 'again' } })).json().error.code).toBe('DIRECTORY.GROUP_EXISTS');
    expect((await api('POST', '/groups/wiki-editors/members', { body: { member: 'alice@example.com' } })).statusCode).toBe(409);
    expect((await api('DELETE', '/groups/admins')).json().error.code).toBe('DIRECTORY.GROUP_PROTECTED');
    const racing = await Promise.all(Array.from({ length: 5 }, () => api('POST', '/groups', { body: { id: 'racers', name: 'Racers' } })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const missing = await api('GET', '/rules/nope');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'DIRECTORY.RULE_NOT_FOUND']);
  });

  it('refuses anyone without credentials (401 + WWW-Authenticate) and a non-admin (403), reads included', async () => {
    const anonymous = await api('GET', '/groups', { token: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await api('GET', '/groups', { token: 'gat_made-up' })).statusCode).toBe(401);

    await api('POST', '/service-accounts', { body: { id: 'ci', name: 'CI' } });
    const issued = await api('POST', '/tokens', { body: { principal: 'svc:ci', name: 'ci' } });
    const ciToken = issued.json().token as string;
    const before = await eventCount();
    expect((await api('GET', '/groups', { token: ciToken })).statusCode).toBe(403);
    const write = await api('POST', '/groups', { token: ciToken, body: { id: 'sneaky', name: 'Sneaky' } });
    expect([write.statusCode, write.json().error.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    expect(await eventCount()).toBe(before);
    expect((await api('GET', '/me', { token: ciToken })).json()).toMatchObject({ id: 'svc:ci', admin: false, exists: true });

    // Put in admins, the same token becomes an admin's.
    await api('POST', '/groups/admins/members', { body: { member: 'svc:ci' } });
    expect((await api('GET', '/groups', { token: ciToken })).statusCode).toBe(200);
    await api('DELETE', '/groups/admins/members/svc:ci');
    expect((await api('GET', '/groups', { token: ciToken })).statusCode).toBe(403);
  });

  it('defines rules and explains a decision with the engine verify uses', async () => {
    const allow = await api('POST', '/rules', { body: { id: 'wiki-editors', priority: 10, host: 'WIKI.example.com:443', paths: ['/admin'], effect: 'allow', subjects: { groups: ['wiki-editors'] } } });
    expect(allow.statusCode).toBe(201);
    expect(allow.json()).toMatchObject({ id: 'wiki-editors', host: 'wiki.example.com', version: 1 });
    await api('POST', '/rules', { body: { id: 'wiki-all', priority: 20, host: '*.example.com', effect: 'allow' } });
    const deny = await api('POST', '/rules', { body: { priority: 10, host: 'wiki.example.com', paths: ['/admin'], effect: 'deny', subjects: { users: ['mallory@example.com'] } } });
    expect(deny.json().id).toMatch(/^r-/);

    const rules = (await api('GET', '/rules?host=wiki.example.com')).json();
    expect(rules.items.map((r: { id: string }) => r.id)).toEqual([deny.json().id, 'wiki-editors', 'wiki-all']);

    const alice = (await api('GET', '/explain?principal=alice@example.com&method=GET&url=https://wiki.example.com/admin/x')).json();
    expect(alice.decision).toMatchObject({ outcome: 'allow', reason: 'rule', rule: { id: 'wiki-editors' } });
    expect(alice.principal).toMatchObject({ id: 'alice@example.com', groups: ['wiki-editors'], exists: false });
    expect(alice.matched.find((m: { decisive: boolean }) => m.decisive).rule.id).toBe('wiki-editors');

    const mallory = (await api('GET', '/explain?principal=mallory@example.com&url=https://wiki.example.com/admin')).json();
    expect(mallory.decision).toMatchObject({ outcome: 'deny', rule: { id: deny.json().id } });
    const bob = (await api('GET', '/explain?principal=bob@example.com&url=https://wiki.example.com/admin')).json();
    expect(bob.decision).toMatchObject({ outcome: 'allow', rule: { id: 'wiki-all' } });
    const other = (await api('GET', '/explain?principal=bob@example.com&url=https://elsewhere.org/')).json();
    expect(other.decision).toMatchObject({ outcome: 'deny', reason: 'no-rule' });
    expect((await api('GET', '/explain?url=https://wiki.example.com/')).json().decision.outcome).toBe('authenticate');
    expect((await api('GET', '/explain?url=not a url')).statusCode).toBe(400);

    const changed = await api('PUT', '/rules/wiki-all', { body: { priority: 20, host: '*.example.com', effect: 'deny' }, headers: { 'if-match': '"1"' } });
    expect(changed.json()).toMatchObject({ effect: 'deny', version: 2 });
    expect((await api('GET', '/explain?principal=bob@example.com&url=https://wiki.example.com/admin')).json().decision.outcome).toBe('deny');
    expect((await api('DELETE', '/rules/wiki-all', { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
  });

  it('manages users: register, list, disable (a disabled admin is refused)', async () => {
    const reg = await api('POST', '/users', { body: { email: 'Carol@Example.com', name: 'Carol' } });
    expect(reg.json()).toMatchObject({ id: 'carol@example.com', email: 'Carol@Example.com', disabled: false, version: 1 });
    await api('POST', '/groups/admins/members', { body: { member: 'carol@example.com' } });
    const token = (await api('POST', '/tokens', { body: { principal: 'carol@example.com', name: 'laptop', expiresIn: '1d' } })).json().token;
    expect((await api('GET', '/users?q=carol', { token })).json().items).toEqual([expect.objectContaining({ id: 'carol@example.com', groups: ['admins'] })]);

    expect((await api('PATCH', '/users/carol@example.com', { body: { disabled: true }, headers: { 'if-match': '"1"' } })).json()).toMatchObject({ disabled: true, version: 2 });
    expect((await api('GET', '/users', { token })).statusCode).toBe(401);
  });

  it('reads, explains, changes and deletes stored rules that today\'s validator would refuse', async () => {
    // As an older directory could have written them (straight into the log, past today's decider):
    // a field the API no longer takes, a method in lower case.
    const store = app.get<EventStore<typeof directoryEvents.definitions>>(EVENT_STORE);
    for (const id of ['legacy-a', 'legacy-b']) {
      const rule = { id, priority: 5, host: `${id}.example.com`, methods: ['get'], effect: 'allow' as const, description: 'from an older API' };
      await store.append(`rule:${id}`, 0, [{ type: 'RuleDefined', data: { rule } }], { actor: 'root@example.com', correlationId: randomUUID(), occurredAt: new Date() });
    }
    expect((await api('GET', '/rules/legacy-a')).json()).toMatchObject({ id: 'legacy-a', methods: ['get'], version: 1 });
    expect((await api('GET', '/rules?host=legacy-a.example.com')).json().items.map((r: { id: string }) => r.id)).toEqual(['legacy-a']);
    const explained = await api('GET', '/explain?principal=bob@example.com&method=GET&url=https://legacy-a.example.com/');
    expect([explained.statusCode, explained.json().decision?.outcome]).toEqual([200, 'deny']);

    expect((await api('DELETE', '/rules/legacy-a', { headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await api('GET', '/rules/legacy-a')).statusCode).toBe(404);
    const changed = await api('PUT', '/rules/legacy-b', { body: { priority: 5, host: 'legacy-b.example.com', methods: ['GET'], effect: 'allow' }, headers: { 'if-match': '"1"' } });
    expect([changed.statusCode, changed.json()]).toEqual([200, expect.objectContaining({ methods: ['GET'], version: 2 })]);
    expect(changed.json()).not.toHaveProperty('description');
    expect((await api('DELETE', '/rules/legacy-b')).statusCode).toBe(204);
  });

  it('serves its OpenAPI document and a browsable UI', async () => {
    const doc = await app.inject({ method: 'GET', url: '/api/directory/docs/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/directory/groups', '/api/directory/groups/{id}/members', '/api/directory/rules/{id}', '/api/directory/explain', '/api/directory/tokens']));
    const ui = await app.inject({ method: 'GET', url: '/api/directory/docs' });
    expect(ui.body).toContain('swagger-ui-bundle.js');
    expect((await app.inject({ method: 'GET', url: '/api/directory/docs/swagger-ui-bundle.js' })).statusCode).toBe(200);
  });

  it('rebuilds its read models from the events to exactly what the API showed', async () => {
    const snapshot = async () =>
      Promise.all(['dir_user', 'dir_service_account', 'dir_group', 'dir_member', 'dir_rule', 'dir_api_token', 'dir_api_token_use'].map((t) => sql(`select * from "${schema}"."${t}" order by 1, 2`)));
    const before = await snapshot();
    expect(before[5].length).toBeGreaterThan(0);
    const store = app.get<EventStore<typeof directoryEvents.definitions>>(EVENT_STORE);
    const applied = await rebuildProjection(app.get(MikroORM), store, app.get(DirectoryProjection));
    expect(applied).toBe(await eventCount());
    expect(await snapshot()).toEqual(before);
  });
});
