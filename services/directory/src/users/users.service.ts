import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf } from '@gate/events';
import { z } from 'zod';
import { CommandRunner } from '../command-runner';
import { DirectoryError } from '../directory-error';
import { displayName, pageOf, parseInput } from '../input';
import { DirectoryReadModel, type Page, type UserView } from '../read-model/directory-read-model';
import { userDecider, userIdOf } from './user.decider';

const registerBody = z.object({ email: z.string().trim().email(), name: displayName }).strict();
const updateBody = z.object({ name: displayName.optional(), disabled: z.boolean().optional() }).strict();
const listQuery = z.object({ q: z.string().optional(), group: z.string().optional() });

/** Users: register, update (name, disabled), list and read. HTTP is one door into these. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
  ) {}

  async register(actor: string, body: unknown): Promise<UserView> {
    const { email, name } = parseInput(registerBody, body);
    const userId = userIdOf(email);
    await this.commands.run(streamIdOf('user', userId), userDecider, { type: 'RegisterUser', email, name }, actor);
    return this.get(userId);
  }

  async update(actor: string, id: string, body: unknown, ifMatch?: number): Promise<UserView> {
    const change = parseInput(updateBody, body);
    const userId = userIdOf(id);
    await this.commands.run(streamIdOf('user', userId), userDecider, { type: 'UpdateUser', userId, ...change }, actor, ifMatch);
    return this.get(userId);
  }

  list(query: unknown): Promise<Page<UserView>> {
    const { q, group } = parseInput(listQuery, query);
    return this.read.listUsers({ q, group }, pageOf(query));
  }

  async get(id: string): Promise<UserView> {
    const user = await this.read.getUser(userIdOf(id));
    if (!user) throw DirectoryError.notFound('DIRECTORY.USER_NOT_FOUND', `no user ${id}`);
    return user;
  }
}
