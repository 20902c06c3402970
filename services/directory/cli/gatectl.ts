import { Command, CommanderError } from 'commander';
import { ApiError, connectionOf, DirectoryApiClient } from './api-client';
import { ruleCommands, tokenCommands } from './access-commands';
import type { CliIo } from './output';
import { groupCommands, principalCommands } from './principal-commands';

/**
 * `gatectl`: the directory admin API from a shell. Returns the exit status: 0 on success, 1 when
 * the API refused (its message and code on standard error), 2 on a usage error.
 */
export async function runGatectl(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('gatectl')
    .description('Administer the gate directory: users, groups, rules, service accounts, API tokens')
    .option('--url <url>', 'directory base URL (env GATE_URL, default http://localhost:4182)')
    .option('--token <token>', 'admin API token (env GATE_TOKEN; prefer --token-file)')
    .option('--token-file <file>', 'file holding the admin API token (env GATE_TOKEN_FILE)')
    .option('--json', 'print the API answer as JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  gatectl --url http://localhost:4182 --token-file ./admin.token groups create wiki-editors --name "Wiki editors"
  gatectl groups add-member wiki-editors alice@example.com bob@example.com
  gatectl groups members wiki-editors
  gatectl rules add --host wiki.example.com --effect allow --group wiki-editors
  gatectl rules list
  gatectl explain alice@example.com GET https://wiki.example.com/admin
  gatectl tokens create --principal svc:ci --name ci`,
    );
  const ctx = () => {
    const options = program.opts<{ url?: string; token?: string; tokenFile?: string; json?: boolean }>();
    return { api: new DirectoryApiClient(connectionOf(options, io.env)), json: options.json === true };
  };
  groupCommands(program, io, ctx);
  principalCommands(program, io, ctx);
  ruleCommands(program, io, ctx);
  tokenCommands(program, io, ctx);
  program
    .command('whoami')
    .description('who the token belongs to, and whether it is an admin')
    .action(async () => {
      const me = await ctx().api.get('/me');
      io.out(`${me.id} (${me.admin ? 'admin' : 'not an admin'}; groups: ${me.groups.join(',') || 'none'})\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ApiError) {
      io.err(`gatectl: ${error.message}${error.code ? ` [${error.code}]` : ''}\n`);
      return 1;
    }
    io.err(`gatectl: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
