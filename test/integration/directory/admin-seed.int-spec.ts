import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandRunner } from '../../../services/directory/src/command-runner';
import type { DirectoryConfig } from '../../../services/directory/src/config';
import { AdminSeed } from '../../../services/directory/src/seed/admin-seed';
import { TestNatsServer } from '../../support/nats-server';
import { sql } from '../../support/postgres';
import { bootDirectory, dropSchema, freshSchemaName } from './boot-directory';

describe('admins seeded from ADMIN_EMAILS at boot', () => {
  let nats: TestNatsServer;
  const schemas: string[] = [];

  beforeAll(async () => {
    nats = await TestNatsServer.start();
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
    await nats.destroy();
  });

  const events = async (schema: string) => sql<{ type: string; data: { member?: string } }>(`select type, data from "${schema}".event order by position`);
  const members = async (schema: string) => (await sql<{ member: string }>(`select member from "${schema}".dir_member where group_id = 'admins' order by member`)).map((r) => r.member);

  it('creates admins with each address once; a restart appends nothing; a new address is added', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const env = { DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_EMAILS: 'Root@Example.com, ops@example.com' };
    let app: NestFastifyApplication = await bootDirectory(env);
    await app.close();
    expect((await events(schema)).map((e) => e.type)).toEqual(['GroupCreated', 'MemberAdded', 'MemberAdded']);
    expect(await members(schema)).toEqual(['ops@example.com', 'root@example.com']);

    app = await bootDirectory(env);
    await app.close();
    expect(await events(schema)).toHaveLength(3);

    app = await bootDirectory({ ...env, ADMIN_EMAILS: 'root@example.com,new@example.com' });
    await app.close();
    expect((await events(schema)).slice(3)).toEqual([{ type: 'MemberAdded', data: { groupId: 'admins', member: 'new@example.com' } }]);
    expect(await members(schema)).toEqual(['new@example.com', 'ops@example.com', 'root@example.com']);
  });

  it('lets two replicas boot at once without failing or duplicating anything', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const env = { DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_EMAILS: 'a@example.com,b@example.com,c@example.com' };
    const apps = await Promise.all([bootDirectory(env), bootDirectory(env)]);
    for (const app of apps) await app.close();
    expect((await events(schema)).map((e) => e.type)).toEqual(['GroupCreated', 'MemberAdded', 'MemberAdded', 'MemberAdded']);
    expect(await members(schema)).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
  });

  it('retries a seed that lost a race for the admins stream, appending each member once', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const app = await bootDirectory({ DATABASE_SCHEMA: schema, ...nats.env('directory') });
    try {
      const emails = ['p@example.com', 'q@example.com'];
      const seeds = Array.from({ length: 4 }, () => new AdminSeed({ ADMIN_EMAILS: emails } as DirectoryConfig, app.get(CommandRunner)));
      await Promise.all(seeds.map((seed) => seed.onApplicationBootstrap()));
    } finally {
      await app.close();
    }
    expect((await events(schema)).map((e) => e.type)).toEqual(['GroupCreated', 'MemberAdded', 'MemberAdded']);
    expect(await members(schema)).toEqual(['p@example.com', 'q@example.com']);
  });

  it('refuses to start with a malformed ADMIN_EMAILS', async () => {
    await expect(bootDirectory({ DATABASE_SCHEMA: freshSchemaName(), ...nats.env('directory'), ADMIN_EMAILS: 'root@example.com,not-an-address' })).rejects.toThrow(/ADMIN_EMAILS/);
  });
});
