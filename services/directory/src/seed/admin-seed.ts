import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@gate/config';
import { streamIdOf } from '@gate/events';
import { CommandRunner } from '../command-runner';
import type { DirectoryConfig } from '../config';
import { ADMINS_GROUP, groupDecider, type GroupCommand } from '../groups/group.decider';
import { userIdOf } from '../users/user.decider';

/**
 * At boot, makes sure the `admins` group exists and holds every address of `ADMIN_EMAILS`.
 * Idempotent: a restart appends nothing; replicas booting together lose races for the stream,
 * are decided again by `CommandRunner` and then find the work done. Admins are never removed here (removal is an API decision).
 */
@Injectable()
export class AdminSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminSeed');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: DirectoryConfig,
    @Inject(CommandRunner) private readonly commands: CommandRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const emails = this.config.ADMIN_EMAILS;
    if (emails.length === 0) return;
    const appended = await this.ensure({ type: 'CreateGroup', groupId: ADMINS_GROUP, name: 'Administrators', ifAbsent: true });
    const members = emails.map(userIdOf);
    const added = appended + (await this.ensure({ type: 'AddMembers', groupId: ADMINS_GROUP, members, ifAbsent: true }));
    if (added > 0) this.logger.log(`seeded ${ADMINS_GROUP}: ${added} event(s) for ${emails.length} admin address(es)`);
  }

  private async ensure(command: GroupCommand): Promise<number> {
    const result = await this.commands.run(streamIdOf('group', ADMINS_GROUP), groupDecider, command, 'system');
    return result.events.length;
  }
}
