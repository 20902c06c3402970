import { MikroORM } from '@mikro-orm/postgresql';
import { EventDefinitions, EnvelopeOf } from '@gate/events';
import { EventStore } from './event-store';
import { Projection } from './projection';

/**
 * Rebuilds a read model from the whole log: resets it and applies every event in position order,
 * in one transaction that holds the append lock, so no append interleaves and readers see either
 * the old read model or the complete new one. Returns the number of events applied.
 */
export async function rebuildProjection<D extends EventDefinitions>(
  orm: MikroORM,
  store: EventStore<D>,
  projection: Projection<EnvelopeOf<D>>,
  batchSize = 1000,
): Promise<number> {
  const lockKey = `${orm.config.get('schema')}.event`;
  return orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [lockKey]);
    await projection.reset(em);
    let applied = 0;
    for (let after = 0; ; ) {
      const batch = await store.readAll(after, batchSize);
      for (const event of batch) await projection.apply(em, event);
      applied += batch.length;
      if (batch.length < batchSize) return applied;
      after = batch[batch.length - 1].position;
    }
  });
}
