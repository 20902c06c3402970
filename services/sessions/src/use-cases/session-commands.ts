import { randomUUID } from 'node:crypto';
import { sessionsEvents, SessionsEnvelope } from '@gate/events';
import { EVENT_STORE, EventStore, handleCommand } from '@gate/eventstore';
import { currentCorrelationId } from '@gate/observability';
import { Inject, Injectable } from '@nestjs/common';
import { SessionsMetrics } from '../metrics/sessions-metrics';
import { SessionCommand, sessionDecider, sessionStreamId, SessionState } from '../session/session';

/** The one way every use case changes a session: fold, decide, append, count what committed. */
@Injectable()
export class SessionCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore<typeof sessionsEvents.definitions>,
    private readonly metrics: SessionsMetrics,
  ) {}

  /** Runs `command` on the session's stream as `actor`; throws SessionsError or ConcurrencyError. */
  async run(sessionId: string, command: SessionCommand, actor: string): Promise<{ events: SessionsEnvelope[]; state: SessionState }> {
    const meta = { actor, correlationId: currentCorrelationId() ?? randomUUID(), occurredAt: command.now };
    const result = await handleCommand(this.store, sessionStreamId(sessionId), sessionDecider, command, meta);
    this.metrics.observe(result.events);
    return result;
  }
}
