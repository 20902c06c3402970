import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AccessRuleError } from '@gate/access-rules';
import { opaqueId, principalId, streamIdOf } from '@gate/events';
import { z } from 'zod';
import { CommandRunner } from '../command-runner';
import { DirectoryError } from '../directory-error';
import { pageOf, parseInput } from '../input';
import { DirectoryReadModel, type Page, type RuleView } from '../read-model/directory-read-model';
import { ruleDataOf, ruleDecider } from './rule.decider';

const listQuery = z.object({ host: z.string().optional(), group: z.string().optional(), user: z.string().optional() });

/**
 * Access rules: define, replace, remove, list (in evaluation order) and read. A rule is validated
 * by the engine (`validateRule`) and may only name groups that exist; users are e-mails or `svc:`
 * ids and need not exist yet.
 */
@Injectable()
export class RulesService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
  ) {}

  async define(actor: string, body: unknown): Promise<RuleView> {
    const input = { id: `r-${randomBytes(6).toString('hex')}`, ...this.objectOf(body) };
    const rule = await this.checked(input);
    await this.commands.run(streamIdOf('rule', rule.id), ruleDecider, { type: 'DefineRule', rule }, actor);
    return this.get(rule.id);
  }

  async replace(actor: string, id: string, body: unknown, ifMatch?: number): Promise<RuleView> {
    const rule = await this.checked({ ...this.objectOf(body), id });
    await this.commands.run(streamIdOf('rule', this.idOf(id)), ruleDecider, { type: 'ChangeRule', ruleId: id, rule }, actor, ifMatch);
    return this.get(id);
  }

  async remove(actor: string, id: string, ifMatch?: number): Promise<void> {
    await this.commands.run(streamIdOf('rule', this.idOf(id)), ruleDecider, { type: 'RemoveRule', ruleId: id }, actor, ifMatch);
  }

  list(query: unknown): Promise<Page<RuleView>> {
    const { host, group, user } = parseInput(listQuery, query);
    return this.read.listRules({ host, group, user }, pageOf(query));
  }

  async get(id: string): Promise<RuleView> {
    const rule = await this.read.getRule(id);
    if (!rule) throw DirectoryError.notFound('DIRECTORY.RULE_NOT_FOUND', `no rule ${id}`);
    return rule;
  }

  private objectOf(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AccessRuleError('RULES.INVALID_RULE', 'a rule must be a JSON object');
    return body as Record<string, unknown>;
  }

  private idOf(id: string): string {
    if (!opaqueId.safeParse(id).success) throw DirectoryError.notFound('DIRECTORY.RULE_NOT_FOUND', `no rule ${JSON.stringify(id)}`);
    return id;
  }

  /** The engine's validation, then what the event log demands: safe ids, principal ids, known groups. */
  private async checked(input: Record<string, unknown>) {
    const rule = ruleDataOf(input);
    if (!opaqueId.safeParse(rule.id).success) {
      throw new AccessRuleError('RULES.INVALID_ID', `rule id ${JSON.stringify(rule.id)}: use letters, digits, "-" and "_" only`, { field: 'id' });
    }
    for (const user of rule.subjects?.users ?? []) {
      if (!principalId.safeParse(user).success) {
        throw new AccessRuleError('RULES.INVALID_SUBJECTS', `${JSON.stringify(user)} in subjects.users is neither an e-mail address nor a svc: id`, { field: 'subjects.users' });
      }
    }
    const missing = await this.read.missingGroups(rule.subjects?.groups ?? []);
    if (missing.length > 0) throw DirectoryError.invalid('DIRECTORY.UNKNOWN_GROUP', `no group ${missing.join(', ')}: create it first`);
    return rule;
  }
}
