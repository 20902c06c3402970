import { SERVICE_CONFIG } from '@gate/config';
import { Inject, Injectable } from '@nestjs/common';
import { type SessionsConfig } from '../config';
import { CallerSessions } from '../use-cases/caller-sessions';
import { Caller } from './caller';
import { csrfToken } from './csrf';
import { renderSessionsPage } from './session-page';

/** What the session page does: render the caller's view, and run its forms' use cases. */
@Injectable()
export class SessionPage {
  constructor(
    private readonly sessions: CallerSessions,
    @Inject(SERVICE_CONFIG) private readonly config: SessionsConfig,
  ) {}

  /** The page: the caller's sessions, or everyone's for an admin. */
  async render(caller: Caller): Promise<string> {
    const sessions = await this.sessions.list(caller, { all: caller.isAdmin });
    return renderSessionsPage({ caller, sessions, csrfToken: csrfToken(this.config.SESSION_KEYS, caller.csrfSubject) });
  }

  async revoke(caller: Caller, sessionId: string): Promise<void> {
    await this.sessions.revoke(caller, sessionId);
  }

  async revokeAll(caller: Caller, userId: unknown): Promise<void> {
    await this.sessions.revokeAll(caller, userId);
  }
}
