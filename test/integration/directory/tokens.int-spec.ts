import { randomUUID } from 'node:crypto';
import type { ClientNats } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DIRECTORY_PATTERNS, DIRECTORY_TOKENS_USED, hashApiToken, type directoryEvents, type PrincipalReply } from '@gate/events';
import { EVENT_STORE, type EventStore } from '@gate/eventstore';
import { request } from '@gate/messaging';
import { TestNatsServer } from '../../support/nats-server';
import { sql } from '../../support/postgres';
import { waitFor } from '../../support/wait-for';
import { bootDirectory, bootstrapTokenFile, dropSchema, freshSchemaName } from './boot-directory';

describe('directory API tokens, last use, and the principal request/reply', () => {
  let nats: TestNatsServer;
  let app: NestFastifyApplication;
  /** verify reports token use; sessions asks about principals: each with its own credentials. */
  let verify: ClientNats;
  let sessions: ClientNats;
  const schema = freshSchemaName();
  const secret = bootstrapTokenFile();

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    app = await bootDirectory({ DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_TOKEN_FILE: secret.file });
    verify = nats.client('verify');
    sessions = nats.client('sessions');
  });
  afterAll(async () => {
    await app?.close();
    await verify?.close();
    await sessions?.close();
    await dropSchema(schema);
    await nats.destroy();
    secret.remove();
  });

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string = secret.token, body?: object) =>
    app.inject({ method, url: `/api/directory${url}`, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });

  it('issues a token shown once and stored hashed; it works as Bearer until revoked, then 401', async () => {
    await api('POST', '/service-accounts', secret.token, { id: 'deploy-bot', name: 'Deploy bot' });
    await api('POST', '/groups', secret.token, { id: 'admins', name: 'Administrators' });
    await api('POST', '/groups/admins/members', secret.token, { member: 'svc:deploy-bot' });

    const issued = await api('POST', '/tokens', secret.token, { principal: 'svc:deploy-bot', name: 'deploys', expiresIn: '30d' });
    expect(issued.statusCode).toBe(201);
    const { token, id } = issued.json();
    expect(token).toMatch(/^gat_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(issued.json().expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // Shown once: neither the list nor the resource carries the secret or its hash; Postgres has only the hash.
    const shown = JSON.stringify([(await api('GET', `/tokens/${id}`)).json(), (await api('GET', '/tokens?principal=svc:deploy-bot')).json()]);
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(hashApiToken(token));
    const dump = JSON.stringify(await sql(`select * from "${schema}".event`)) + JSON.stringify(await sql(`select * from "${schema}".dir_api_token`));
    expect(dump).not.toContain(token);
    expect(dump).toContain(hashApiToken(token));

    const me = await api('GET', '/me', token);
    expect(me.json()).toMatchObject({ id: 'svc:deploy-bot', via: 'token', admin: true, groups: ['admins'] });
    expect((await api('GET', '/groups', token)).statusCode).toBe(200);
    expect((await api('GET', `/tokens/${id}`)).json().lastUsedAt).toEqual(expect.any(String));

    const revoked = await api('DELETE', `/tokens/${id}`);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect((await api('GET', '/groups', token)).statusCode).toBe(401);
    expect((await api('DELETE', `/tokens/${id}`)).json().error.code).toBe('DIRECTORY.TOKEN_REVOKED');
  });

  it('refuses an expired token with 401, and a token of a deleted service account', async () => {
    const store = app.get<EventStore<typeof directoryEvents.definitions>>(EVENT_STORE);
    const expired = 'gat_' + 'e'.repeat(43);
    await store.append('token:old', 0, [
      { type: 'ApiTokenIssued', data: { tokenId: 'old', principal: 'svc:deploy-bot', name: 'old', tokenHash: hashApiToken(expired), expiresAt: new Date(Date.now() - 1000).toISOString() } },
    ], { actor: 'test', correlationId: randomUUID(), occurredAt: new Date() });
    expect((await api('GET', '/me', expired)).statusCode).toBe(401);
    expect((await api('POST', '/tokens', secret.token, { principal: 'svc:deploy-bot', name: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() })).statusCode).toBe(400);

    const live = (await api('POST', '/tokens', secret.token, { principal: 'svc:deploy-bot', name: 'live' })).json().token;
    expect((await api('GET', '/me', live)).statusCode).toBe(200);
    expect((await api('DELETE', '/service-accounts/svc:deploy-bot')).statusCode).toBe(204);
    expect((await api('GET', '/me', live)).statusCode).toBe(401);
    const again = await api('POST', '/service-accounts', secret.token, { id: 'deploy-bot', name: 'Deploy bot again' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'DIRECTORY.SERVICE_ACCOUNT_ID_RETIRED']);
    expect((await api('GET', '/me', live)).statusCode).toBe(401);
  });

  it('records last use reported by verify over NATS, never moving it back', async () => {
    await api('POST', '/service-accounts', secret.token, { id: 'ci', name: 'CI' });
    const { id } = (await api('POST', '/tokens', secret.token, { principal: 'svc:ci', name: 'ci' })).json();
    const later = '2031-01-02T03:04:05.000Z';
    verify.emit(DIRECTORY_TOKENS_USED, { uses: [{ tokenId: id, at: '2030-01-01T00:00:00.000Z' }, { tokenId: id, at: later }, { tokenId: 'unknown', at: later }] });
    await waitFor('last use recorded', async () => (await api('GET', `/tokens/${id}`)).json().lastUsedAt === later);
    verify.emit(DIRECTORY_TOKENS_USED, { uses: 'garbage' });
    // The stale use rides in one report with a marker: once the marker lands, the stale use was applied too.
    const { id: marker } = (await api('POST', '/tokens', secret.token, { principal: 'svc:ci', name: 'marker' })).json();
    verify.emit(DIRECTORY_TOKENS_USED, { uses: [{ tokenId: id, at: '2029-01-01T00:00:00.000Z' }, { tokenId: marker, at: later }] });
    await waitFor('marker recorded', async () => (await api('GET', `/tokens/${marker}`)).json().lastUsedAt === later);
    expect((await api('GET', `/tokens/${id}`)).json().lastUsedAt).toBe(later);
  });

  it('answers directory.principal with existence, disabled and groups', async () => {
    await api('POST', '/users', secret.token, { email: 'dora@example.com', name: 'Dora' });
    await api('POST', '/groups/admins/members', secret.token, { member: 'dora@example.com' });
    await api('POST', '/groups/admins/members', secret.token, { member: 'newbie@example.com' });
    expect(await request<PrincipalReply>(sessions, DIRECTORY_PATTERNS.principal, { principalId: 'dora@example.com' })).toEqual({ exists: true, disabled: false, groups: ['admins'] });
    expect(await request<PrincipalReply>(sessions, DIRECTORY_PATTERNS.principal, { principalId: 'newbie@example.com' })).toEqual({ exists: false, disabled: false, groups: ['admins'] });
    await app.inject({ method: 'PATCH', url: '/api/directory/users/dora@example.com', headers: { authorization: `Bearer ${secret.token}` }, payload: { disabled: true } });
    expect(await request<PrincipalReply>(sessions, DIRECTORY_PATTERNS.principal, { principalId: 'dora@example.com' })).toMatchObject({ disabled: true });
    await expect(request(sessions, DIRECTORY_PATTERNS.principal, { principalId: 'NOT AN ID' })).rejects.toMatchObject({ code: 'DIRECTORY.INVALID_INPUT' });
  });
});
