import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { directoryEvents, DirectoryEnvelope, DirectoryEvent } from '@gate/events';
import { ConcurrencyError, EVENT_STORE, EventStore, handleCommand, type CommandResult, type Decider } from '@gate/eventstore';
import { currentCorrelationId } from '@gate/observability';

/** How often a command without `If-Match` is decided again after losing a race for its stream. */
const ATTEMPTS = 5;

/**
 * Runs a directory command on one stream: folds it, decides, appends at the version read, with
 * the caller as actor and the request's correlation id.
 *
 * With `expectedVersion` (the client's `If-Match`) a stream that moved on is a ConcurrencyError
 * (412). Without it, losing a race to another writer only means the decision was made on stale
 * state: the command is decided again on the fresh stream, so two concurrent creates give one 201
 * and one 409, and replicas seeding at once both succeed.
 */
@Injectable()
export class CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore<typeof directoryEvents.definitions>) {}

  async run<C, S>(streamId: string, decider: Decider<C, S, DirectoryEvent>, command: C, actor: string, expectedVersion?: number): Promise<CommandResult<S, DirectoryEnvelope>> {
    const meta = { actor, correlationId: currentCorrelationId() ?? randomUUID(), occurredAt: new Date() };
    for (let attempt = 1; ; attempt++) {
      try {
        return await handleCommand(this.store, streamId, decider, command, meta, expectedVersion);
      } catch (error) {
        if (expectedVersion !== undefined || !(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
