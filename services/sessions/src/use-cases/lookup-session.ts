import { LookupSessionReply } from '@gate/events';
import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import { SessionReadModel } from '../read-model/session-read-model';

/** verify's question about a session id it has not seen yet, answered from the read model. */
@Injectable()
export class LookupSession {
  constructor(
    private readonly readModel: SessionReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `{found:false}` for an unknown id; otherwise the session with its status as of now. */
  async execute(request: { sessionId: string }): Promise<LookupSessionReply> {
    const session = await this.readModel.find(request.sessionId, this.clock.now());
    return session ? { found: true, session } : { found: false };
  }
}
