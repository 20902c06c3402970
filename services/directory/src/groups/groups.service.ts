import { Inject, Injectable } from '@nestjs/common';
import { principalId, streamIdOf } from '@gate/events';
import { z } from 'zod';
import { CommandRunner } from '../command-runner';
import { DirectoryError } from '../directory-error';
import { displayName, pageOf, parseInput } from '../input';
import { DirectoryReadModel, type GroupView, type Page } from '../read-model/directory-read-model';
import { GROUP_ID, groupDecider } from './group.decider';

const createBody = z.object({ id: z.string().regex(GROUP_ID, 'a group id is a lower-case slug: letters, digits, dashes'), name: displayName }).strict();
const renameBody = z.object({ name: displayName }).strict();
/** One member (`member`) or several (`members`), added together or not at all. */
const memberBody = z
  .object({ member: z.string().optional(), members: z.array(z.string()).min(1).max(500).optional() })
  .strict()
  .refine((b) => (b.member === undefined) !== (b.members === undefined), 'give either member or members');
const listQuery = z.object({ q: z.string().optional(), member: z.string().optional() });

/**
 * Groups and memberships. A member is a user id (any e-mail: they need not have logged in yet)
 * or an existing service account (`svc:` id). Several members are added in one append: all of
 * them, or (one of them invalid, unknown or already a member) none, with every culprit named.
 */
@Injectable()
export class GroupsService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
  ) {}

  async create(actor: string, body: unknown): Promise<GroupView> {
    const { id, name } = parseInput(createBody, body);
    await this.commands.run(streamIdOf('group', id), groupDecider, { type: 'CreateGroup', groupId: id, name }, actor);
    return this.get(id);
  }

  async rename(actor: string, id: string, body: unknown, ifMatch?: number): Promise<GroupView> {
    const { name } = parseInput(renameBody, body);
    await this.commands.run(streamIdOf('group', this.idOf(id)), groupDecider, { type: 'RenameGroup', groupId: id, name }, actor, ifMatch);
    return this.get(id);
  }

  async delete(actor: string, id: string, ifMatch?: number): Promise<void> {
    await this.commands.run(streamIdOf('group', this.idOf(id)), groupDecider, { type: 'DeleteGroup', groupId: id }, actor, ifMatch);
  }

  async addMembers(actor: string, id: string, body: unknown, ifMatch?: number): Promise<GroupView> {
    const { member, members } = parseInput(memberBody, body);
    const checked = await this.membersToAdd(members ?? [member!]);
    const command = { type: 'AddMembers', groupId: id, members: checked } as const;
    await this.commands.run(streamIdOf('group', this.idOf(id)), groupDecider, command, actor, ifMatch);
    return this.get(id);
  }

  async removeMember(actor: string, id: string, rawMember: string, ifMatch?: number): Promise<GroupView> {
    const member = this.memberOf(rawMember);
    if (member === null) {
      throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `${JSON.stringify(rawMember)} is neither an e-mail address nor a svc: id`);
    }
    await this.commands.run(streamIdOf('group', this.idOf(id)), groupDecider, { type: 'RemoveMember', groupId: id, member }, actor, ifMatch);
    return this.get(id);
  }

  list(query: unknown): Promise<Page<GroupView>> {
    const { q, member } = parseInput(listQuery, query);
    return this.read.listGroups({ q, member: member?.trim().toLowerCase() }, pageOf(query));
  }

  async get(id: string): Promise<GroupView> {
    const group = await this.read.getGroup(id);
    if (!group) throw DirectoryError.notFound('DIRECTORY.GROUP_NOT_FOUND', `no group ${id}`);
    return group;
  }

  private idOf(id: string): string {
    if (!GROUP_ID.test(id)) throw DirectoryError.notFound('DIRECTORY.GROUP_NOT_FOUND', `no group ${JSON.stringify(id)}`);
    return id;
  }

  /** A member as stored (lower-cased), or null when it is neither an e-mail address nor a svc: id. */
  private memberOf(raw: string): string | null {
    const member = raw.trim().toLowerCase();
    return principalId.safeParse(member).success ? member : null;
  }

  /** The members to add, as stored; refuses them all, naming each culprit, when one is malformed or an unknown svc: id. */
  private async membersToAdd(raws: readonly string[]): Promise<string[]> {
    const malformed = raws.filter((raw) => this.memberOf(raw) === null);
    if (malformed.length > 0) {
      const which = `${malformed.map((raw) => JSON.stringify(raw)).join(', ')} ${malformed.length === 1 ? 'is' : 'are'}`;
      throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `${which} neither an e-mail address nor a svc: id; nothing was added`);
    }
    const members = [...new Set(raws.map((raw) => this.memberOf(raw)!))];
    const accounts = members.filter((m) => m.startsWith('svc:'));
    const exists = await Promise.all(accounts.map(async (m) => (await this.read.principal(m)).exists));
    const unknown = accounts.filter((_, i) => !exists[i]);
    if (unknown.length > 0) {
      const which = `no service account${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`;
      throw DirectoryError.invalid('DIRECTORY.UNKNOWN_PRINCIPAL', `${which}; nothing was added`);
    }
    return members;
  }
}
