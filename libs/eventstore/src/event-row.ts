import { Context } from '@gate/events';

/** One row of the `event` table as the driver returns it (bigint as string, jsonb parsed). */
export interface EventRow {
  position: string | number;
  id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  actor: string;
  correlation_id: string;
  occurred_at: Date | string;
}

/** Turns a stored row into the raw envelope that the catalog validates and upcasts. */
export function rowToRaw(context: Context, row: EventRow) {
  return {
    id: row.id,
    context,
    type: row.type,
    version: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: Number(row.position),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    correlationId: row.correlation_id,
    data: row.data,
  };
}
