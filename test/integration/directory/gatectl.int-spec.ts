import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runGatectl } from '../../../services/directory/cli/gatectl';
import { TestNatsServer } from '../../support/nats-server';
import { bootDirectory, bootstrapTokenFile, dropSchema, freshSchemaName } from './boot-directory';

describe('gatectl against the running directory API', () => {
  let nats: TestNatsServer;
  let app: NestFastifyApplication;
  let url: string;
  const schema = freshSchemaName();
  const secret = bootstrapTokenFile();

  beforeAll(async () => {
    nats = await TestNatsServer.start();
    app = await bootDirectory({ DATABASE_SCHEMA: schema, ...nats.env('directory'), ADMIN_TOKEN_FILE: secret.file });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await dropSchema(schema);
    await nats.destroy();
    secret.remove();
  });

  /** Runs gatectl in-process with GATE_URL and GATE_TOKEN_FILE set, capturing its output and exit status. */
  async function gatectl(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runGatectl(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), env: { GATE_URL: url, GATE_TOKEN_FILE: secret.file } });
    return { code, stdout, stderr };
  }

  it('creates a group, adds users, lists members and rules, explains a decision', async () => {
    expect(await gatectl('groups', 'create', 'wiki-editors', '--name', 'Wiki editors')).toMatchObject({ code: 0 });
    const added = await gatectl('groups', 'add-member', 'wiki-editors', 'alice@example.com', 'Bob@Example.com');
    expect(added.code).toBe(0);
    const members = await gatectl('groups', 'members', 'wiki-editors');
    expect(members.stdout).toMatch(/wiki-editors \(Wiki editors\), version 3/);
    expect(members.stdout).toMatch(/alice@example\.com\n.*bob@example\.com/s);

    const rule = await gatectl('rules', 'add', '--id', 'wiki', '--host', 'wiki.example.com', '--path', '/admin', '--effect', 'allow', '--group', 'wiki-editors', '--priority', '10');
    expect(rule.code).toBe(0);
    const rules = await gatectl('rules', 'list');
    expect(rules.stdout).toMatch(/^ID\s+PRIO\s+EFFECT\s+HOST/);
    expect(rules.stdout).toMatch(/wiki\s+10\s+allow\s+wiki\.example\.com\s+\/admin\s+\*\s+group:wiki-editors/);

    const yes = await gatectl('explain', 'alice@example.com', 'GET', 'https://wiki.example.com/admin');
    expect(yes.stdout).toMatch(/^ALLOW: alice@example\.com .*\ndecided by rule wiki\n/);
    const no = await gatectl('explain', 'carol@example.com', 'GET', 'https://wiki.example.com/admin');
    expect(no.stdout).toMatch(/^DENY: carol@example\.com/);
    const json = await gatectl('--json', 'explain', 'anonymous', 'GET', 'https://wiki.example.com/admin');
    expect(JSON.parse(json.stdout).decision.outcome).toBe('authenticate');
  });

  it('adds all the members or none: every unknown one is named, exit 1, and nothing is added', async () => {
    expect(await gatectl('groups', 'create', 'ops', '--name', 'Ops')).toMatchObject({ code: 0 });
    const ghosts = await gatectl('groups', 'add-member', 'ops', 'carol@example.com', 'svc:ghost', 'dave@example.com', 'svc:phantom');
    expect([ghosts.code, ghosts.stderr]).toEqual([1, 'gatectl: no service accounts svc:ghost, svc:phantom; nothing was added [DIRECTORY.UNKNOWN_PRINCIPAL]\n']);
    expect((await gatectl('--json', 'groups', 'members', 'ops')).stdout).toMatch(/"members": \[\]/);

    expect(await gatectl('groups', 'add-member', 'ops', 'carol@example.com', 'dave@example.com')).toMatchObject({ code: 0 });
    const again = await gatectl('groups', 'add-member', 'ops', 'erin@example.com', 'carol@example.com');
    expect([again.code, again.stderr]).toEqual([1, 'gatectl: carol@example.com is already a member of ops; nothing was added [DIRECTORY.ALREADY_MEMBER]\n']);
    expect(JSON.parse((await gatectl('--json', 'groups', 'members', 'ops')).stdout).members).toEqual(['carol@example.com', 'dave@example.com']);
  });

  it('creates a token for a service account, printed once on stdout, usable with --token', async () => {
    expect((await gatectl('service-accounts', 'create', 'ci', '--name', 'CI')).stdout).toBe('created svc:ci\n');
    const created = await gatectl('tokens', 'create', '--principal', 'svc:ci', '--name', 'ci', '--expires-in', '7d');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^gat_/);
    expect(created.stderr).toMatch(/not shown again/);
    expect((await gatectl('tokens', 'list')).stdout).not.toContain(token);

    let stdout = '';
    const code = await runGatectl(['--url', url, '--token', token, 'whoami'], { out: (t) => void (stdout += t), err: () => undefined, env: {} });
    expect([code, stdout]).toEqual([0, 'svc:ci (not an admin; groups: none)\n']);
  });

  it('exits non-zero with the API\'s message on failure, and 2 on a usage error', async () => {
    const dup = await gatectl('groups', 'create', 'wiki-editors', '--name', 'again');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe('gatectl: group wiki-editors already exists [DIRECTORY.GROUP_EXISTS]\n');
    const bad = await gatectl('rules', 'add', '--host', '*.com', '--effect', 'allow');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/RULES\.INVALID_HOST_PATTERN/);
    const usage = await gatectl('groups', 'create', 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--name/);
    const help = await gatectl('rules', 'add', '--help');
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('--effect <effect>')]);

    let stderr = '';
    const refused = await runGatectl(['--url', url, '--token', 'gat_wrong', 'groups', 'list'], { out: () => undefined, err: (t) => void (stderr += t), env: {} });
    expect(refused).toBe(1);
    expect(stderr).toMatch(/AUTH\.UNAUTHENTICATED/);
  });
});
