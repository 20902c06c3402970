import { z } from 'zod';
import { isoTime, opaqueId, principalId } from './fields';

// Request/reply messages that the sessions service answers over NATS (@MessagePattern).
// Every request is validated on arrival; a reply is plain JSON.

/** Subjects (Nest message patterns) that the sessions service answers. */
export const SESSIONS_PATTERNS = {
  start: 'sessions.start',
  lookup: 'sessions.lookup',
  revoke: 'sessions.revoke',
  revokeAll: 'sessions.revoke-all',
  /** Fire-and-forget (`emit`), batched by verify: last-seen times. */
  seen: 'sessions.seen',
} as const;

/** Login asks sessions to start a session whose public id login derived from the cookie secret. */
export const startSessionRequest = z.object({
  sessionId: opaqueId,
  userId: principalId,
  email: z.string().email(),
  name: z.string(),
  groups: z.array(z.string()),
  provider: z.string().min(1),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type StartSessionRequest = z.infer<typeof startSessionRequest>;

/** What sessions knows of one session (the reply to start and lookup). */
export const sessionView = z.object({
  sessionId: opaqueId,
  userId: principalId,
  email: z.string(),
  name: z.string(),
  groups: z.array(z.string()),
  provider: z.string(),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  startedAt: isoTime,
  expiresAt: isoTime,
  idleTimeoutMs: z.number().nullable(),
  lastSeenAt: isoTime.nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  /** Position of the session's last event in the sessions log (verify applies by position). */
  position: z.number().int().nonnegative(),
});
export type SessionView = z.infer<typeof sessionView>;

/** Verify asks about a session id it has not seen yet. */
export const lookupSessionRequest = z.object({ sessionId: opaqueId });
export type LookupSessionReply = { found: false } | { found: true; session: SessionView };

export const revokeSessionRequest = z.object({
  sessionId: opaqueId,
  revokedBy: z.string().min(1),
  reason: z.enum(['logout', 'user', 'admin', 'user-disabled']),
});
export type RevokeSessionReply = { revoked: boolean };

export const revokeAllSessionsRequest = z.object({
  userId: principalId,
  revokedBy: z.string().min(1),
  reason: z.enum(['revoke-all', 'admin', 'user-disabled']),
});
export type RevokeAllSessionsReply = { revoked: number };

export const sessionsSeenMessage = z.object({
  seen: z.array(z.object({ sessionId: opaqueId, at: isoTime })).max(10_000),
});
export type SessionsSeenMessage = z.infer<typeof sessionsSeenMessage>;
