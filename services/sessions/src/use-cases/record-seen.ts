import { SessionsSeenMessage } from '@gate/events';
import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import { SessionReadModel } from '../read-model/session-read-model';

/** verify's batched "last seen" report: one UPDATE per batch, never an event. */
@Injectable()
export class RecordSeen {
  constructor(
    private readonly readModel: SessionReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** How many active sessions the batch touched. */
  execute(message: SessionsSeenMessage): Promise<number> {
    return this.readModel.recordSeen(message.seen, this.clock.now());
  }
}
