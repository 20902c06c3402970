import { RevokeSessionReply } from '@gate/events';
import { ConcurrencyError } from '@gate/eventstore';
import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import { RevokeReason } from '../session/session';
import { SessionCommands } from './session-commands';

/** What ending one session needs: which, who asks and why. */
export interface RevokeRequest {
  sessionId: string;
  revokedBy: string;
  reason: RevokeReason;
}

/** Ends one session. Revoking a session that already ended is a no-op (`revoked: false`). */
@Injectable()
export class RevokeSession {
  constructor(
    private readonly commands: SessionCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `revoked: true` when this call ended the session; SESSIONS.NOT_FOUND for an unknown id. */
  async execute(request: RevokeRequest): Promise<RevokeSessionReply> {
    const command = { type: 'RevokeSession' as const, revokedBy: request.revokedBy, reason: request.reason, now: this.clock.now() };
    // A racing writer (the sweeper, another revoke) moved the stream on: decide again on the new state.
    for (let attempt = 1; ; attempt++) {
      try {
        const { events } = await this.commands.run(request.sessionId, command, request.revokedBy);
        return { revoked: events.length > 0 };
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= 3) throw err;
      }
    }
  }
}
