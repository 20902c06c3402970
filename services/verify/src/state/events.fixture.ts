// Builders of committed envelopes for the unit specs (never imported by the service itself).
import { randomUUID } from 'node:crypto';
import type { DirectoryEnvelope, DirectoryEvent, SessionsEnvelope, SessionsEvent } from '@gate/events';

const HOUR = 3600_000;

/** A committed directory event at `position`. */
export function dirEvent(position: number, event: DirectoryEvent): DirectoryEnvelope {
  return { id: randomUUID(), context: 'directory', version: 1, streamId: 'x:1', streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'test', correlationId: 'c', ...event } as DirectoryEnvelope;
}

/** A committed sessions event at `position`. */
export function sesEvent(position: number, event: SessionsEvent): SessionsEnvelope {
  return { id: randomUUID(), context: 'sessions', version: 1, streamId: 'session:1', streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'test', correlationId: 'c', ...event } as SessionsEnvelope;
}

/** SessionStarted for `userId`, expiring an hour after `nowMs` unless told. */
export function started(sessionId: string, userId: string, opts: { groups?: string[]; expiresAtMs?: number; nowMs?: number } = {}): SessionsEvent {
  const now = opts.nowMs ?? Date.now();
  return {
    type: 'SessionStarted',
    data: {
      sessionId,
      userId,
      email: userId,
      name: `Name ${userId}`,
      groups: opts.groups ?? [],
      provider: 'test',
      clientIp: null,
      userAgent: null,
      startedAt: new Date(now).toISOString(),
      expiresAt: new Date(opts.expiresAtMs ?? now + HOUR).toISOString(),
      idleTimeoutMs: null,
    },
  };
}

/** SessionRevoked for a session. */
export function revoked(sessionId: string, userId: string): SessionsEvent {
  return { type: 'SessionRevoked', data: { sessionId, userId, revokedBy: 'admin', reason: 'admin', revokedAt: new Date().toISOString() } };
}

/** RuleDefined with priority 100 unless given. */
export function ruleDefined(rule: { id: string; host: string; effect: 'allow' | 'deny' | 'public'; priority?: number; paths?: string[]; subjects?: { users?: string[]; groups?: string[] } }): DirectoryEvent {
  return { type: 'RuleDefined', data: { rule: { priority: 100, ...rule } } };
}
