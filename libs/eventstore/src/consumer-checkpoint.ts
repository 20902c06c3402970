import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@gate/events';
import { quoteSchema } from './schema-name';

/** Where a consumer stands in one JetStream stream: last applied event position and stream seq. */
export interface Checkpoint {
  position: number;
  streamSeq: number;
}

/**
 * A Postgres-backed checkpoint that makes a consumer's read model exactly-once: the event is
 * applied and the checkpoint advanced in one transaction, and an event at or below the
 * checkpoint's position (a redelivery, a duplicate, a replay after a crash) is skipped.
 */
export class ConsumerCheckpoint {
  private readonly table: string;

  constructor(
    private readonly orm: MikroORM,
    readonly consumer: string,
    readonly stream: string,
  ) {
    this.table = `${quoteSchema(orm.config.get('schema') as string)}."consumer_checkpoint"`;
  }

  /** The stored checkpoint, or position 0 / seq 0 for a consumer that has never run. */
  async load(): Promise<Checkpoint> {
    const rows = await this.orm.em
      .fork()
      .execute(`select position, stream_seq from ${this.table} where consumer = ? and stream = ?`, [this.consumer, this.stream]);
    return rows.length ? { position: Number(rows[0].position), streamSeq: Number(rows[0].stream_seq) } : { position: 0, streamSeq: 0 };
  }

  /**
   * Applies `event` (stream sequence `seq`) with `apply` unless it was applied before; returns
   * whether it was applied. The checkpoint row is locked for the transaction, so two instances of
   * one consumer never apply the same event twice.
   */
  async applyOnce(event: EventEnvelope, seq: number, apply: (em: EntityManager) => Promise<void>): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(
        `insert into ${this.table} (consumer, stream, position, stream_seq) values (?, ?, 0, 0) on conflict do nothing`,
        [this.consumer, this.stream],
      );
      const [row] = await em.execute(
        `select position from ${this.table} where consumer = ? and stream = ? for update`,
        [this.consumer, this.stream],
      );
      if (event.position <= Number(row.position)) return false;
      await apply(em);
      await em.execute(`update ${this.table} set position = ?, stream_seq = ? where consumer = ? and stream = ?`, [
        event.position,
        seq,
        this.consumer,
        this.stream,
      ]);
      return true;
    });
  }
}
