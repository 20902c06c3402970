import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { AppendResultRow, appendStatement, NewEventRow } from './append-statement';
import { Context, EventCatalog, EventDefinitions, EnvelopeOf, DomainEventOf } from '@gate/events';
import { ConcurrencyError } from './errors';
import { Projection } from './projection';
import { notifyChannel, quoteSchema } from './schema-name';
import { rowToRaw, EventRow } from './event-row';

/** What the caller states about a change: who, which request, and when (time is passed in). */
export interface AppendMetadata {
  actor: string;
  correlationId: string;
  occurredAt: Date;
}

/** `n`: the stream must be at version n (0 = must not exist yet); `any`: no check. */
export type ExpectedVersion = number | 'any';

/**
 * The Postgres event store of one context: appends with optimistic concurrency, updates the
 * registered projections in the same transaction, and announces commits with NOTIFY.
 *
 * Appends to one schema are serialised by a transaction-scoped advisory lock, so global positions
 * become visible strictly in order: the outbox relay can then never skip an event that committed
 * late with a lower position. The lock, the version check, the insert and the NOTIFY are one
 * statement (one round trip; autocommit when there is no projection to update).
 */
export class EventStore<D extends EventDefinitions> {
  private readonly table: string;
  private readonly lockKey: string;
  private readonly channel: string;

  constructor(
    private readonly orm: MikroORM,
    readonly catalog: EventCatalog<D>,
    private readonly projections: Projection<EnvelopeOf<D>>[] = [],
  ) {
    const schema = orm.config.get('schema') as string;
    this.table = `${quoteSchema(schema)}."event"`;
    this.lockKey = `${schema}.event`;
    this.channel = notifyChannel(schema);
  }

  get context(): Context {
    return this.catalog.context;
  }

  /**
   * Appends `events` to `streamId` if it is at `expected`; returns the committed envelopes.
   * Throws ConcurrencyError (and writes nothing) when another writer got there first, and
   * InvalidEventError (and writes nothing) when an event does not match its schema.
   */
  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: DomainEventOf<D>[],
    meta: AppendMetadata,
  ): Promise<EnvelopeOf<D>[]> {
    if (events.length === 0) return [];
    const datas = events.map((e) => this.catalog.validate(e));
    const rows = events.map((e, i) => ({ id: randomUUID(), type: e.type, schemaVersion: this.catalog.latestVersion(e.type), data: datas[i] }));
    try {
      return await this.appendOnce(streamId, expected, rows, meta, false);
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // Another writer appended to this stream while we waited for the lock, so our snapshot's
      // version was stale. With an expected version that is a conflict; with `any`, try again
      // with the lock taken first, so the version is read after every earlier append.
      if (expected !== 'any') throw new ConcurrencyError(streamId, expected, -1);
      return this.appendOnce(streamId, expected, rows, meta, true);
    }
  }

  private appendOnce(streamId: string, expected: ExpectedVersion, rows: NewEventRow[], meta: AppendMetadata, lockFirst: boolean): Promise<EnvelopeOf<D>[]> {
    if (this.projections.length === 0 && !lockFirst) return this.insert(this.orm.em.fork(), streamId, expected, rows, meta);
    return this.orm.em.fork().transactional(async (em) => {
      if (lockFirst) await em.execute('select pg_advisory_xact_lock(hashtext(?))', [this.lockKey]);
      const envelopes = await this.insert(em, streamId, expected, rows, meta);
      for (const envelope of envelopes) await this.project(em, envelope);
      return envelopes;
    });
  }

  /** Every event of one stream in order, upcast to the latest versions; [] if it does not exist. */
  async readStream(streamId: string): Promise<EnvelopeOf<D>[]> {
    const rows = await this.orm.em
      .fork()
      .execute<EventRow[]>(`select * from ${this.table} where stream_id = ? order by stream_version`, [streamId]);
    return rows.map((r) => this.catalog.parse(rowToRaw(this.context, r)));
  }

  /** Up to `limit` events after `afterPosition`, in position order (for rebuilds and catch-up). */
  async readAll(afterPosition: number, limit = 1000): Promise<EnvelopeOf<D>[]> {
    const rows = await this.orm.em
      .fork()
      .execute<EventRow[]>(`select * from ${this.table} where position > ? order by position limit ?`, [afterPosition, limit]);
    return rows.map((r) => this.catalog.parse(rowToRaw(this.context, r)));
  }

  /** The highest committed position, 0 when the log is empty. */
  async headPosition(): Promise<number> {
    const [row] = await this.orm.em.fork().execute(`select coalesce(max(position), 0) as head from ${this.table}`);
    return Number(row.head);
  }

  private async insert(
    em: EntityManager,
    streamId: string,
    expected: ExpectedVersion,
    rows: NewEventRow[],
    meta: AppendMetadata,
  ): Promise<EnvelopeOf<D>[]> {
    const occurredAt = meta.occurredAt.toISOString();
    const expectedNumber = expected === 'any' ? -1 : expected;
    const { sql, params } = appendStatement(this.table, this.lockKey, this.channel, streamId, expectedNumber, rows, { ...meta, occurredAt });
    const result = await em.execute<AppendResultRow[]>(sql, params);
    if (result[0].position === null) throw new ConcurrencyError(streamId, expectedNumber, Number(result[0].current));
    return rows.map(
      (r, i) =>
        ({
          id: r.id,
          context: this.context,
          type: r.type,
          version: r.schemaVersion,
          streamId,
          streamVersion: Number(result[i].stream_version),
          position: Number(result[i].position),
          occurredAt,
          actor: meta.actor,
          correlationId: meta.correlationId,
          data: r.data,
        }) as EnvelopeOf<D>,
    );
  }

  private async project(em: EntityManager, envelope: EnvelopeOf<D>): Promise<void> {
    for (const projection of this.projections) await projection.apply(em, envelope);
  }
}
