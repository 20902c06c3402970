import { RevokeAllSessionsReply } from '@gate/events';
import { Injectable } from '@nestjs/common';
import { SessionReadModel } from '../read-model/session-read-model';
import { RevokeReason } from '../session/session';
import { RevokeSession } from './revoke-session';

/** Ends every active session of one user, one command per session stream. */
@Injectable()
export class RevokeAllSessions {
  constructor(
    private readonly readModel: SessionReadModel,
    private readonly revokeSession: RevokeSession,
  ) {}

  /** How many sessions this call ended (sessions that already ended are not counted). */
  async execute(request: { userId: string; revokedBy: string; reason: RevokeReason }): Promise<RevokeAllSessionsReply> {
    let revoked = 0;
    for (const sessionId of await this.readModel.activeIdsOf(request.userId)) {
      const result = await this.revokeSession.execute({ sessionId, revokedBy: request.revokedBy, reason: request.reason });
      if (result.revoked) revoked++;
    }
    return { revoked };
  }
}
