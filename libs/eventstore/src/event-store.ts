import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
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
 * late with a lower position. Writes in an auth gateway are rare; correctness wins.
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
    return this.orm.em.fork().transactional(async (em) => {
      const actual = await this.lockAndReadVersion(em, streamId);
      if (expected !== 'any' && actual !== expected) throw new ConcurrencyError(streamId, expected, actual);
      const envelopes = await this.insert(em, streamId, actual, events, datas, meta);
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

  /**
   * Takes the append lock and reads the stream's version in one round trip. The version is read
   * after the lock is granted (a separate statement's snapshot), so it sees every earlier append.
   */
  private async lockAndReadVersion(em: EntityManager, streamId: string): Promise<number> {
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [this.lockKey]);
    const [row] = await em.execute(
      `select coalesce(max(stream_version), 0) as version from ${this.table} where stream_id = ?`,
      [streamId],
    );
    return Number(row.version);
  }

  private async insert(
    em: EntityManager,
    streamId: string,
    fromVersion: number,
    events: DomainEventOf<D>[],
    datas: unknown[],
    meta: AppendMetadata,
  ): Promise<EnvelopeOf<D>[]> {
    const occurredAt = meta.occurredAt.toISOString();
    const values: unknown[] = [];
    const rows = events.map((e, i) => {
      const id = randomUUID();
      const version = this.catalog.latestVersion(e.type);
      values.push(id, streamId, fromVersion + i + 1, e.type, version, JSON.stringify(datas[i]), meta.actor, meta.correlationId, occurredAt);
      return { id, type: e.type, version, streamVersion: fromVersion + i + 1, data: datas[i] };
    });
    const placeholders = rows.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)').join(', ');
    // NOTIFY rides on the insert; Postgres delivers it (once per transaction) at commit.
    const inserted = await em.execute<{ position: string }[]>(
      `with ins as (
         insert into ${this.table} (id, stream_id, stream_version, type, schema_version, data, actor, correlation_id, occurred_at)
         values ${placeholders} returning position
       ) select position, pg_notify(?, '') from ins order by position`,
      [...values, this.channel],
    );
    return rows.map(
      (r, i) =>
        ({
          id: r.id,
          context: this.context,
          type: r.type,
          version: r.version,
          streamId,
          streamVersion: r.streamVersion,
          position: Number(inserted[i].position),
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
