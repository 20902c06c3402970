import { Context, CONTEXTS } from '@gate/events';
import { nanos } from '@nats-io/transport-node';
import { DiscardPolicy, JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from '@nats-io/jetstream';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The JetStream stream that carries one context's events: `AUTH_DIRECTORY` for `auth.directory.*.*`. */
export function streamNameOf(context: Context): string {
  return `AUTH_${context.toUpperCase()}`;
}

/**
 * Retention of each context's stream (also in the README for operators):
 * - directory: kept forever. Verify rebuilds users, groups and rules by replaying it; it is small.
 * - sessions: 30 days. No session outlives its absolute lifetime (24 h by default, bounded by
 *   config), so older events can no longer change a decision.
 * - login: 30 days; an audit trail, the full history stays in Postgres.
 * All: file storage, limits retention, a 10-minute duplicate window (a relay that re-publishes
 * after a crash is dropped by message id), and discard-new is never used so no publish is refused
 * for space; the Postgres log stays the source of truth.
 */
export function streamConfigOf(context: Context): Partial<StreamConfig> & { name: string } {
  return {
    name: streamNameOf(context),
    // Events only (`auth.<context>.<aggregate>.<id>`): the relay's head announcements
    // (`auth.<context>.head`) are not stored.
    subjects: [`auth.${context}.*.*`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: context === 'directory' ? 0 : nanos(30 * DAY_MS),
    duplicate_window: nanos(10 * 60 * 1000),
    num_replicas: 1,
  };
}

/** Creates or updates the streams of `contexts` so that they match streamConfigOf (idempotent). */
export async function ensureStreams(jsm: JetStreamManager, contexts: readonly Context[] = CONTEXTS): Promise<void> {
  for (const context of contexts) {
    const config = streamConfigOf(context);
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      await jsm.streams.add(config);
    }
  }
}

function isStreamNotFound(err: unknown): boolean {
  const e = err as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || /stream not found/i.test(e?.message ?? '');
}
