import { z } from 'zod';
import { DomainEventOf, EnvelopeOf, EventCatalog } from './catalog';
import { opaqueId, principalId } from './fields';

/** Every event of the login context: an audit trail of login attempts. */
export const loginEvents = new EventCatalog('login', {
  LoginSucceeded: {
    version: 1,
    schema: z.object({ provider: z.string(), userId: principalId, sessionId: opaqueId, clientIp: z.string().nullable() }),
  },
  LoginFailed: {
    version: 1,
    schema: z.object({ provider: z.string(), reason: z.string(), clientIp: z.string().nullable() }),
  },
});

export type LoginEvent = DomainEventOf<typeof loginEvents.definitions>;
export type LoginEnvelope = EnvelopeOf<typeof loginEvents.definitions>;
