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
const memberBody = z.object({ member: z.string() }).strict();
const listQuery = z.object({ q: z.string().optional(), member: z.string().optional() });

/**
 * Groups and memberships. A member is a user id (any e-mail: they need not have logged in yet)
 * or an existing service account (`svc:` id).
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

  async addMember(actor: string, id: string, body: unknown, ifMatch?: number): Promise<GroupView> {
    const member = await this.memberOf(parseInput(memberBody, body).member, true);
    await this.commands.run(streamIdOf('group', this.idOf(id)), groupDecider, { type: 'AddMember', groupId: id, member }, actor, ifMatch);
    return this.get(id);
  }

  async removeMember(actor: string, id: string, rawMember: string, ifMatch?: number): Promise<GroupView> {
    const member = await this.memberOf(rawMember, false);
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

  /** A member as stored: lower-cased; a `svc:` member must exist when it is being added. */
  private async memberOf(raw: string, adding: boolean): Promise<string> {
    const member = raw.trim().toLowerCase();
    if (!principalId.safeParse(member).success) {
      throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `${JSON.stringify(raw)} is neither an e-mail address nor a svc: id`);
    }
    if (adding && member.startsWith('svc:') && !(await this.read.principal(member)).exists) {
      throw DirectoryError.invalid('DIRECTORY.UNKNOWN_PRINCIPAL', `no service account ${member}`);
    }
    return member;
  }
}
