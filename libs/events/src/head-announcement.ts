import { z } from 'zod';
import { CONTEXTS, type Context } from './envelope';

/**
 * The subject on which a context's outbox relay announces, at least once a second, the highest
 * position committed in its schema: `auth.<context>.head`. Only that context's relay may publish
 * it (NATS permissions); verify counts itself fresh only while it hears from every context it
 * follows and has applied everything up to the announced position. It has three tokens, so the
 * context's stream (`auth.<context>.*.*`) does not store it.
 */
export function headSubjectOf(context: Context): string {
  return `auth.${context}.head`;
}

/** One announcement: the committed head of `context`'s event log, read from PostgreSQL at `at`. */
export const headAnnouncement = z.object({
  context: z.enum(CONTEXTS),
  /** Every event at or below this position is committed (0: the log is empty). */
  position: z.number().int().nonnegative(),
  at: z.string().datetime({ offset: true }),
});
export type HeadAnnouncement = z.infer<typeof headAnnouncement>;
