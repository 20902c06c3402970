import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf } from '@gate/events';
import { z } from 'zod';
import { CommandRunner } from '../command-runner';
import { DirectoryError } from '../directory-error';
import { displayName, pageOf, parseInput } from '../input';
import { DirectoryReadModel, type Page, type ServiceAccountView } from '../read-model/directory-read-model';
import { serviceAccountDecider, serviceAccountIdOf } from './service-account.decider';

const createBody = z.object({ id: z.string(), name: displayName }).strict();
const listQuery = z.object({ q: z.string().optional(), group: z.string().optional() });

/** Service accounts (machine principals): create, delete, list and read. */
@Injectable()
export class ServiceAccountsService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
  ) {}

  async create(actor: string, body: unknown): Promise<ServiceAccountView> {
    const { id, name } = parseInput(createBody, body);
    const accountId = this.idOf(id);
    await this.commands.run(streamIdOf('service-account', accountId), serviceAccountDecider, { type: 'CreateServiceAccount', accountId, name }, actor);
    return this.get(accountId);
  }

  async delete(actor: string, id: string, ifMatch?: number): Promise<void> {
    const accountId = this.idOf(id);
    await this.commands.run(streamIdOf('service-account', accountId), serviceAccountDecider, { type: 'DeleteServiceAccount', accountId }, actor, ifMatch);
  }

  list(query: unknown): Promise<Page<ServiceAccountView>> {
    const { q, group } = parseInput(listQuery, query);
    return this.read.listServiceAccounts({ q, group }, pageOf(query));
  }

  async get(id: string): Promise<ServiceAccountView> {
    const account = await this.read.getServiceAccount(this.idOf(id));
    if (!account) throw DirectoryError.notFound('DIRECTORY.SERVICE_ACCOUNT_NOT_FOUND', `no service account ${id}`);
    return account;
  }

  private idOf(raw: string): string {
    const id = serviceAccountIdOf(raw);
    if (!id || id === 'svc:bootstrap') {
      throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `${JSON.stringify(raw)} is not a service account id (svc:name: lower-case letters, digits, dashes)`);
    }
    return id;
  }
}
