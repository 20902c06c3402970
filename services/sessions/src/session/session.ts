import { SessionsEvent } from '@gate/events';
import { Decider } from '@gate/eventstore';
import { SessionsError } from './session-error';

// One login session: started by login, ended by a revocation (logout, the user, an admin) or by
// expiry (absolute lifetime, or idle past the timeout). Pure: time comes in with each command.

/** The stream of one session: `session:<public session id>`. */
export function sessionStreamId(sessionId: string): string {
  return `session:${sessionId}`;
}

// ---------------------------------------------------------------------------------------------
// Events (the sessions catalog in @gate/events)
// ---------------------------------------------------------------------------------------------

type Started = Extract<SessionsEvent, { type: 'SessionStarted' }>['data'];
/** Why a session was revoked, as the SessionRevoked event records it. */
export type RevokeReason = Extract<SessionsEvent, { type: 'SessionRevoked' }>['data']['reason'];

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** What deciding needs to know of one session. */
export type SessionState =
  | { status: 'none' }
  | { status: 'active' | 'revoked' | 'expired'; sessionId: string; userId: string; startedAt: string; expiresAt: string; idleTimeoutMs: number | null };

/** The state of a stream with no events. */
export function initialState(): SessionState {
  return { status: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Evolve
// ---------------------------------------------------------------------------------------------

/** Applies one event; a revocation or expiry is final (nothing brings a session back). */
export function evolve(state: SessionState, event: SessionsEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted': {
      const d = event.data;
      return { status: 'active', sessionId: d.sessionId, userId: d.userId, startedAt: d.startedAt, expiresAt: d.expiresAt, idleTimeoutMs: d.idleTimeoutMs };
    }
    case 'SessionRevoked':
      return state.status === 'active' ? { ...state, status: 'revoked' } : state;
    case 'SessionExpired':
      return state.status === 'active' ? { ...state, status: 'expired' } : state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** Starts a session whose public id login derived from the cookie secret. */
export interface StartSession {
  type: 'StartSession';
  session: Omit<Started, 'startedAt' | 'expiresAt' | 'idleTimeoutMs'>;
  now: Date;
  lifetimeMs: number;
  idleTimeoutMs: number | null;
}

/** Ends a session on someone's request. */
export interface RevokeSession {
  type: 'RevokeSession';
  revokedBy: string;
  reason: RevokeReason;
  now: Date;
}

/** Ends a session that outlived its lifetime or sat idle too long (the sweeper's command). */
export interface ExpireSession {
  type: 'ExpireSession';
  now: Date;
  /** Last activity known from the read model (null: none since the start). */
  lastSeenAt: Date | null;
}

export type SessionCommand = StartSession | RevokeSession | ExpireSession;

// ---------------------------------------------------------------------------------------------
// Decide
// ---------------------------------------------------------------------------------------------

/** True when a session is past its absolute expiry, or idle (since `lastSeenAt` or its start) past its timeout. */
export function isDue(s: { startedAt: string; expiresAt: string; idleTimeoutMs: number | null }, now: Date, lastSeenAt: Date | null): boolean {
  if (now.getTime() >= Date.parse(s.expiresAt)) return true;
  if (s.idleTimeoutMs === null) return false;
  const lastActive = Math.max(Date.parse(s.startedAt), lastSeenAt?.getTime() ?? 0);
  return now.getTime() >= lastActive + s.idleTimeoutMs;
}

/**
 * Decides what a command causes. Starting an existing id is refused (a new login always has a new
 * id); revoking or expiring a session that already ended is a no-op; expiring a session that is
 * not yet due is a no-op too (the sweeper may have raced a "last seen" update).
 */
export function decide(command: SessionCommand, state: SessionState): SessionsEvent[] {
  switch (command.type) {
    case 'StartSession': {
      if (state.status !== 'none') throw new SessionsError('SESSIONS.ALREADY_EXISTS', `session ${command.session.sessionId} already exists`);
      const startedAt = command.now.toISOString();
      const expiresAt = new Date(command.now.getTime() + command.lifetimeMs).toISOString();
      return [{ type: 'SessionStarted', data: { ...command.session, startedAt, expiresAt, idleTimeoutMs: command.idleTimeoutMs } }];
    }
    case 'RevokeSession': {
      if (state.status === 'none') throw new SessionsError('SESSIONS.NOT_FOUND', 'no such session');
      if (state.status !== 'active') return [];
      return [{ type: 'SessionRevoked', data: { sessionId: state.sessionId, userId: state.userId, revokedBy: command.revokedBy, reason: command.reason, revokedAt: command.now.toISOString() } }];
    }
    case 'ExpireSession': {
      if (state.status !== 'active' || !isDue(state, command.now, command.lastSeenAt)) return [];
      return [{ type: 'SessionExpired', data: { sessionId: state.sessionId, userId: state.userId, expiredAt: command.now.toISOString() } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** The session aggregate as the event store's command handler runs it. */
export const sessionDecider: Decider<SessionCommand, SessionState, SessionsEvent> = { initialState, evolve, decide };
