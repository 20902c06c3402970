import { z } from 'zod';

/** The bounded contexts that write events; each has its own schema, table and JetStream stream. */
export const CONTEXTS = ['directory', 'sessions', 'login'] as const;
export type Context = (typeof CONTEXTS)[number];

/** Who and why: carried with every event, set by the service that appends it. */
export interface EventMetadata {
  /** The principal that caused the change (a user id, `system`, or a service name). */
  actor: string;
  /** Follows one request across services (see libs/observability). */
  correlationId: string;
}

/**
 * A committed event as stored and published: the envelope is the same in Postgres and on
 * JetStream, so a consumer can apply it idempotently by `position`.
 */
export interface EventEnvelope<T extends string = string, D = unknown> extends EventMetadata {
  /** Unique event id (uuid); the JetStream message id, so a re-publish is dropped as duplicate. */
  id: string;
  context: Context;
  type: T;
  /** Schema version of `data` as it is now (after upcasting, the latest). */
  version: number;
  /** `<aggregate>:<id>`, e.g. `group:3f1c…` or `session:Qm9…`. */
  streamId: string;
  /** 1-based version of the stream after this event: optimistic concurrency. */
  streamVersion: number;
  /** Global position in the context's log (gap-free order of commit). */
  position: number;
  /** ISO-8601 time of the change. */
  occurredAt: string;
  data: D;
}

/** Runtime shape of an envelope (data checked separately, per type and version). */
export const envelopeSchema = z.object({
  id: z.string().uuid(),
  context: z.enum(CONTEXTS),
  type: z.string().min(1),
  version: z.number().int().positive(),
  streamId: z.string().min(3).regex(/^[a-z][a-z-]*:.+$/),
  streamVersion: z.number().int().positive(),
  position: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  actor: z.string().min(1),
  correlationId: z.string().min(1),
  data: z.unknown(),
});
