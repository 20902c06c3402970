import type { Command } from 'commander';
import { seg, type DirectoryApiClient } from './api-client';
import { printJson, printTable, type CliIo } from './output';

/** What every command needs: the API client and whether to print raw JSON. */
export type Context = () => { api: DirectoryApiClient; json: boolean };

/** `groups …`: create, rename, delete, list, members, add-member, remove-member. */
export function groupCommands(program: Command, io: CliIo, ctx: Context): void {
  const groups = program.command('groups').description('groups and their members');
  const show = (group: { id: string; name: string; members: string[]; version: number }) => {
    const { json } = ctx();
    if (json) return printJson(io, group);
    io.out(`${group.id} (${group.name}), version ${group.version}\n`);
    printTable(io, ['MEMBER'], group.members.map((m) => [m]));
  };

  groups
    .command('list')
    .description('list groups')
    .option('--member <principal>', 'only groups with this member')
    .option('-q, --query <text>', 'only groups whose id or name contains this')
    .action(async (o: { member?: string; query?: string }) => {
      const { api, json } = ctx();
      const page = await api.get('/groups', { member: o.member, q: o.query, limit: '500' });
      if (json) return printJson(io, page);
      printTable(io, ['ID', 'NAME', 'MEMBERS'], page.items.map((g: any) => [g.id, g.name, g.members.length]));
    });
  groups
    .command('create <id>')
    .description('create a group (id: a lower-case slug such as wiki-editors)')
    .requiredOption('--name <name>', 'display name')
    .action(async (id: string, o: { name: string }) => show(await ctx().api.post('/groups', { id, name: o.name })));
  groups
    .command('rename <id> <name>')
    .description('rename a group')
    .action(async (id: string, name: string) => show(await ctx().api.patch(`/groups/${seg(id)}`, { name })));
  groups
    .command('delete <id>')
    .description('delete a group (its members are dropped; rules naming it no longer match anyone through it)')
    .action(async (id: string) => {
      await ctx().api.delete(`/groups/${seg(id)}`);
      io.out(`deleted group ${id}\n`);
    });
  groups
    .command('members <id>')
    .description('list the members of a group')
    .action(async (id: string) => show(await ctx().api.get(`/groups/${seg(id)}/members`)));
  groups
    .command('add-member <id> <members...>')
    .description('add users (by e-mail; they need not have logged in yet) or service accounts (svc:name): all of them, or none')
    // One request: the API adds every member or, naming each one it refuses, none.
    .action(async (id: string, members: string[]) => show(await ctx().api.post(`/groups/${seg(id)}/members`, { members })));
  groups
    .command('remove-member <id> <member>')
    .description('remove a member from a group')
    .action(async (id: string, member: string) => show(await ctx().api.delete(`/groups/${seg(id)}/members/${seg(member)}`)));
}

/** `users …` and `service-accounts …`. */
export function principalCommands(program: Command, io: CliIo, ctx: Context): void {
  const users = program.command('users').description('users (id = lower-cased e-mail)');
  const showUser = (u: any) => (ctx().json ? printJson(io, u) : printTable(io, ['ID', 'NAME', 'DISABLED', 'GROUPS'], [[u.id, u.name, u.disabled, u.groups.join(',')]]));
  users
    .command('list')
    .description('list users')
    .option('--group <id>', 'only members of this group')
    .option('-q, --query <text>', 'only users whose e-mail or name contains this')
    .action(async (o: { group?: string; query?: string }) => {
      const { api, json } = ctx();
      const page = await api.get('/users', { group: o.group, q: o.query, limit: '500' });
      if (json) return printJson(io, page);
      printTable(io, ['ID', 'NAME', 'DISABLED', 'GROUPS'], page.items.map((u: any) => [u.id, u.name, u.disabled, u.groups.join(',')]));
    });
  users
    .command('add <email>')
    .description('register a user')
    .requiredOption('--name <name>', 'display name')
    .action(async (email: string, o: { name: string }) => showUser(await ctx().api.post('/users', { email, name: o.name })));
  users.command('disable <email>').description('disable a user (refused everywhere)').action(async (email: string) => showUser(await ctx().api.patch(`/users/${seg(email)}`, { disabled: true })));
  users.command('enable <email>').description('enable a user again').action(async (email: string) => showUser(await ctx().api.patch(`/users/${seg(email)}`, { disabled: false })));

  const accounts = program.command('service-accounts').alias('svc').description('service accounts (machine clients, svc:name)');
  accounts
    .command('list')
    .description('list service accounts')
    .action(async () => {
      const { api, json } = ctx();
      const page = await api.get('/service-accounts', { limit: '500' });
      if (json) return printJson(io, page);
      printTable(io, ['ID', 'NAME', 'GROUPS'], page.items.map((a: any) => [a.id, a.name, a.groups.join(',')]));
    });
  accounts
    .command('create <id>')
    .description('create a service account (ci becomes svc:ci)')
    .requiredOption('--name <name>', 'display name')
    .action(async (id: string, o: { name: string }) => {
      const a = await ctx().api.post('/service-accounts', { id, name: o.name });
      if (ctx().json) return printJson(io, a);
      io.out(`created ${a.id}\n`);
    });
  accounts
    .command('delete <id>')
    .description('delete a service account (its tokens stop working)')
    .action(async (id: string) => {
      await ctx().api.delete(`/service-accounts/${seg(id)}`);
      io.out(`deleted ${id}\n`);
    });
}
