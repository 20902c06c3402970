import { Inject, Injectable } from '@nestjs/common';
import type { PrincipalReply } from '@gate/events';
import { DirectoryReadModel } from '../read-model/directory-read-model';

/** What the directory knows of a principal: whether it exists, is disabled, and its groups. */
@Injectable()
export class PrincipalService {
  constructor(@Inject(DirectoryReadModel) private readonly read: DirectoryReadModel) {}

  /** Groups count even for a user who does not exist yet (added by e-mail before their first login). */
  async lookup(principalId: string): Promise<PrincipalReply> {
    const [{ exists, disabled }, groups] = await Promise.all([this.read.principal(principalId), this.read.groupsOf(principalId)]);
    return { exists, disabled, groups };
  }
}
