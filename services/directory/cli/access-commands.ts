import type { Command } from 'commander';
import { seg } from './api-client';
import { printJson, printTable, type CliIo } from './output';
import type { Context } from './principal-commands';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const list = (xs?: string[]) => (xs && xs.length ? xs.join(',') : '*');
const subjects = (r: any) => (r.effect === 'public' ? 'anyone' : [...(r.subjects?.users ?? []), ...(r.subjects?.groups ?? []).map((g: string) => `group:${g}`)].join(',') || 'any logged-in');

/** `rules …` (listed in evaluation order) and `explain`. */
export function ruleCommands(program: Command, io: CliIo, ctx: Context): void {
  const rules = program.command('rules').description('access rules (evaluated by priority, then deny > public > allow, then id)');
  const ruleRows = (items: any[]) => items.map((r) => [r.id, r.priority, r.effect, r.host, list(r.paths), list(r.methods), subjects(r)]);
  const RULE_HEADERS = ['ID', 'PRIO', 'EFFECT', 'HOST', 'PATHS', 'METHODS', 'SUBJECTS'];
  rules
    .command('list')
    .description('list rules in evaluation order')
    .option('--host <host>', 'only rules covering this host')
    .option('--group <id>', 'only rules naming this group')
    .action(async (o: { host?: string; group?: string }) => {
      const { api, json } = ctx();
      const page = await api.get('/rules', { host: o.host, group: o.group, limit: '500' });
      if (json) return printJson(io, page);
      printTable(io, RULE_HEADERS, ruleRows(page.items));
    });
  rules
    .command('add')
    .description('define a rule')
    .requiredOption('--host <pattern>', 'exact host or *.example.com')
    .requiredOption('--effect <effect>', 'allow, deny or public')
    .option('--priority <n>', 'lower is evaluated first', '100')
    .option('--id <id>', 'rule id (generated when absent)')
    .option('--path <prefix>', 'path prefix (repeatable)', collect)
    .option('--method <method>', 'HTTP method (repeatable)', collect)
    .option('--user <email>', 'subject user (repeatable)', collect)
    .option('--group <id>', 'subject group (repeatable)', collect)
    .addHelpText('after', '\nExample:\n  gatectl rules add --host wiki.example.com --path /admin --effect allow --group wiki-editors --priority 10\n')
    .action(async (o: { host: string; effect: string; priority: string; id?: string; path?: string[]; method?: string[]; user?: string[]; group?: string[] }) => {
      const priority = Number(o.priority);
      const body = {
        ...(o.id ? { id: o.id } : {}),
        priority: Number.isInteger(priority) ? priority : o.priority,
        host: o.host,
        effect: o.effect,
        ...(o.path ? { paths: o.path } : {}),
        ...(o.method ? { methods: o.method.map((m) => m.toUpperCase()) } : {}),
        ...(o.user || o.group ? { subjects: { ...(o.user ? { users: o.user } : {}), ...(o.group ? { groups: o.group } : {}) } } : {}),
      };
      const rule = await ctx().api.post('/rules', body);
      if (ctx().json) return printJson(io, rule);
      printTable(io, RULE_HEADERS, ruleRows([rule]));
    });
  rules
    .command('remove <id>')
    .description('remove a rule')
    .action(async (id: string) => {
      await ctx().api.delete(`/rules/${seg(id)}`);
      io.out(`removed rule ${id}\n`);
    });

  program
    .command('explain <principal> <method> <url>')
    .description('would <principal> (an e-mail, svc:name, or "anonymous") get <method> <url>, and which rule decides?')
    .addHelpText('after', '\nExample:\n  gatectl explain alice@example.com GET https://wiki.example.com/admin\n')
    .action(async (principal: string, method: string, url: string) => {
      const { api, json } = ctx();
      const anonymous = principal === 'anonymous' || principal === '-';
      const x = await api.get('/explain', { principal: anonymous ? undefined : principal, method, url });
      if (json) return printJson(io, x);
      const who = x.principal ? `${x.principal.id} (groups: ${x.principal.groups.join(',') || 'none'}${x.principal.disabled ? ', DISABLED' : ''})` : 'anonymous';
      io.out(`${x.decision.outcome.toUpperCase()}: ${who} ${x.request.method} ${x.request.host}${x.request.path}\n`);
      io.out(x.decision.rule ? `decided by rule ${x.decision.rule.id}\n` : 'no rule applies (default deny)\n');
      printTable(io, ['', 'ID', 'PRIO', 'EFFECT', 'HOST', 'APPLIES', 'WHY'], x.matched.map((m: any) => [m.decisive ? '>' : '', m.rule.id, m.rule.priority, m.rule.effect, m.rule.host, m.applies, m.why]));
    });
}

/** `tokens …`: create (the secret is printed once), list, revoke. */
export function tokenCommands(program: Command, io: CliIo, ctx: Context): void {
  const tokens = program.command('tokens').description('API tokens (used as Authorization: Bearer)');
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--principal <id>', 'only tokens of this user or service account')
    .action(async (o: { principal?: string }) => {
      const { api, json } = ctx();
      const page = await api.get('/tokens', { principal: o.principal, limit: '500' });
      if (json) return printJson(io, page);
      printTable(io, ['ID', 'PRINCIPAL', 'NAME', 'EXPIRES', 'REVOKED', 'LAST USED'], page.items.map((t: any) => [t.id, t.principal, t.name, t.expiresAt ?? 'never', t.revokedAt, t.lastUsedAt]));
    });
  tokens
    .command('create')
    .description('issue a token; its secret is shown this once')
    .requiredOption('--principal <id>', 'a user (e-mail) or service account (svc:name)')
    .requiredOption('--name <name>', 'what it is for')
    .option('--expires-in <duration>', 'lifetime such as 30d or 12h (default 90d)')
    .option('--no-expiry', 'never expires')
    .action(async (o: { principal: string; name: string; expiresIn?: string; expiry: boolean }) => {
      const body = { principal: o.principal, name: o.name, ...(o.expiresIn ? { expiresIn: o.expiresIn } : {}), ...(o.expiry ? {} : { expiresAt: null }) };
      const t = await ctx().api.post('/tokens', body);
      if (ctx().json) return printJson(io, t);
      io.out(`${t.token}\n`);
      io.err(`token ${t.id} for ${t.principal}, expires ${t.expiresAt ?? 'never'}. Store it now: it is not shown again.\n`);
    });
  tokens
    .command('revoke <id>')
    .description('revoke a token')
    .action(async (id: string) => {
      await ctx().api.delete(`/tokens/${seg(id)}`);
      io.out(`revoked token ${id}\n`);
    });
}
