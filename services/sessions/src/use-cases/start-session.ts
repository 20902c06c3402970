import { SessionView, StartSessionRequest } from '@gate/events';
import { ConcurrencyError } from '@gate/eventstore';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@gate/config';
import { type Clock, CLOCK } from '../clock';
import { type SessionsConfig } from '../config';
import { SessionsError } from '../session/session-error';
import { SessionCommands } from './session-commands';

/** Login's request: start a session with the configured lifetime and idle timeout. */
@Injectable()
export class StartSession {
  constructor(
    private readonly commands: SessionCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: SessionsConfig,
  ) {}

  /** The new session as sessions now knows it; SESSIONS.ALREADY_EXISTS for an id in use. */
  async execute(request: StartSessionRequest): Promise<SessionView> {
    const now = this.clock.now();
    const command = { type: 'StartSession' as const, session: request, now, lifetimeMs: this.config.SESSION_LIFETIME, idleTimeoutMs: this.config.SESSION_IDLE_TIMEOUT ?? null };
    try {
      const { events } = await this.commands.run(request.sessionId, command, request.userId);
      const [started] = events;
      if (started?.type !== 'SessionStarted') throw new Error('StartSession committed no SessionStarted');
      return { ...started.data, lastSeenAt: null, status: 'active', position: started.position };
    } catch (err) {
      if (err instanceof ConcurrencyError) throw new SessionsError('SESSIONS.ALREADY_EXISTS', `session ${request.sessionId} already exists`);
      throw err;
    }
  }
}
