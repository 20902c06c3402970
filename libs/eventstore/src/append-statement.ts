/** One event row to insert: its id, type, schema version and validated data. */
export interface NewEventRow {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
}

/** The rows an append statement returns: one per inserted event, or one with `position` null. */
export interface AppendResultRow {
  position: string | null;
  stream_version: number | null;
  current: number;
}

/**
 * Builds the single statement that appends events: it takes the schema's append lock (held to
 * commit, so positions become visible in order), reads the stream's version, inserts the events
 * only if that version is the expected one (`-1` = any), and queues a NOTIFY for the relay.
 * When nothing is inserted it returns one row with `position` null and the stream's version.
 *
 * The version is read with the statement's snapshot, taken before the lock is granted: if another
 * writer appended to the same stream meanwhile, the insert hits the unique (stream, version)
 * constraint instead, which the caller treats as a conflict. Nothing is ever overwritten.
 */
export function appendStatement(
  table: string,
  lockKey: string,
  channel: string,
  streamId: string,
  expected: number,
  rows: NewEventRow[],
  meta: { actor: string; correlationId: string; occurredAt: string },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [lockKey, streamId];
  const values = rows.map((r, i) => {
    params.push(r.id, i + 1, r.type, r.schemaVersion, JSON.stringify(r.data));
    return '(?::uuid, ?::int, ?::text, ?::int, ?::jsonb)';
  });
  params.push(streamId, meta.actor, meta.correlationId, meta.occurredAt, expected, expected, channel);
  const sql = `
    with lock as (select pg_advisory_xact_lock(hashtext(?)) as granted),
    cur as (select coalesce(max(stream_version), 0) as v from ${table} where stream_id = ?),
    new_rows (id, n, type, schema_version, data) as (values ${values.join(', ')}),
    ins as (
      insert into ${table} (id, stream_id, stream_version, type, schema_version, data, actor, correlation_id, occurred_at)
      select r.id, ?, cur.v + r.n, r.type, r.schema_version, r.data, ?, ?, ?::timestamptz
      from lock, cur, new_rows r
      where ?::int = -1 or cur.v = ?::int
      order by r.n
      returning position, stream_version
    )
    select ins.position, ins.stream_version, cur.v as current,
           case when ins.position is not null then pg_notify(?, '') end as notified
    from cur left join ins on true
    order by ins.position`;
  return { sql, params };
}
