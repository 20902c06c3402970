import { z } from 'zod';
import { DomainEventOf, EnvelopeOf, EventCatalog } from './catalog';
import { isoTime, opaqueId, principalId } from './fields';

/**
 * Every event of the sessions context. `sessionId` is the session's public id, never the secret
 * that the cookie carries, so reading the stream does not let anyone take over a session.
 */
export const sessionsEvents = new EventCatalog('sessions', {
  SessionStarted: {
    version: 1,
    schema: z.object({
      sessionId: opaqueId,
      userId: principalId,
      email: z.string().email(),
      name: z.string(),
      /** Groups the identity provider asserted (effective groups add the directory's). */
      groups: z.array(z.string()),
      provider: z.string().min(1),
      clientIp: z.string().nullable(),
      userAgent: z.string().nullable(),
      startedAt: isoTime,
      expiresAt: isoTime,
      /** Idle timeout in ms, or null when off. */
      idleTimeoutMs: z.number().int().positive().nullable(),
    }),
  },
  SessionRevoked: {
    version: 1,
    schema: z.object({
      sessionId: opaqueId,
      userId: principalId,
      revokedBy: z.string().min(1),
      reason: z.enum(['logout', 'user', 'admin', 'revoke-all', 'user-disabled']),
      revokedAt: isoTime,
    }),
  },
  SessionExpired: {
    version: 1,
    schema: z.object({ sessionId: opaqueId, userId: principalId, expiredAt: isoTime }),
  },
});

export type SessionsEvent = DomainEventOf<typeof sessionsEvents.definitions>;
export type SessionsEnvelope = EnvelopeOf<typeof sessionsEvents.definitions>;
