import { principalId, SessionView } from '@gate/events';
import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import type { Caller } from '../http/caller';
import { SessionReadModel } from '../read-model/session-read-model';
import { SessionsError } from '../session/session-error';
import { RevokeAllSessions } from './revoke-all-sessions';
import { RevokeSession } from './revoke-session';

/** Which sessions to list: the caller's own unless an admin asks for everyone's or one user's. */
export interface ListQuery {
  all?: boolean;
  user?: string;
}

/**
 * The people's door into sessions: what a caller may see and end. Anyone may list and end their
 * own sessions; admins anyone's. Someone else's session is "not found" to a non-admin, so ids
 * cannot be probed.
 */
@Injectable()
export class CallerSessions {
  constructor(
    private readonly readModel: SessionReadModel,
    private readonly revokeSession: RevokeSession,
    private readonly revokeAllSessions: RevokeAllSessions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Active sessions, newest first: the caller's, or (admins) everyone's or one user's. */
  async list(caller: Caller, query: ListQuery): Promise<SessionView[]> {
    const user = query.user !== undefined ? parseUser(query.user) : undefined;
    const wantsOthers = query.all === true || (user !== undefined && user !== caller.principalId);
    if (wantsOthers && !caller.isAdmin) throw new SessionsError('SESSIONS.FORBIDDEN', 'only admins may list other people\'s sessions');
    const owner = wantsOthers ? (user ?? null) : caller.principalId;
    const sessions = await this.readModel.list(owner, this.clock.now(), true);
    return sessions.filter((s) => s.status === 'active');
  }

  /** Ends one session the caller may end; NOT_FOUND for an unknown id or someone else's (non-admins). */
  async revoke(caller: Caller, sessionId: string): Promise<{ revoked: boolean }> {
    const session = /^[A-Za-z0-9_-]{1,128}$/.test(sessionId) ? await this.readModel.find(sessionId, this.clock.now()) : null;
    const own = session?.userId === caller.principalId;
    if (!session || (!own && !caller.isAdmin)) throw new SessionsError('SESSIONS.NOT_FOUND', 'no such session');
    return this.revokeSession.execute({ sessionId, revokedBy: caller.principalId, reason: own ? 'user' : 'admin' });
  }

  /** Ends every session of `userId`: the caller's own, or anyone's for admins. */
  async revokeAll(caller: Caller, userId: unknown): Promise<{ revoked: number }> {
    const user = parseUser(userId);
    const own = user === caller.principalId;
    if (!own && !caller.isAdmin) throw new SessionsError('SESSIONS.FORBIDDEN', 'only admins may end other people\'s sessions');
    return this.revokeAllSessions.execute({ userId: user, revokedBy: caller.principalId, reason: own ? 'revoke-all' : 'admin' });
  }
}

function parseUser(value: unknown): string {
  const parsed = principalId.safeParse(value);
  if (!parsed.success) throw new SessionsError('SESSIONS.INVALID_REQUEST', 'userId must be a lower-case e-mail address or svc:<name>');
  return parsed.data;
}
