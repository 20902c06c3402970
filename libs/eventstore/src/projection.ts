import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@gate/events';

/**
 * A read model kept in Postgres. `apply` runs inside the append's transaction (so the read model
 * never disagrees with the log) and again, event by event, when the projection is rebuilt.
 */
export interface Projection<E extends EventEnvelope = EventEnvelope> {
  readonly name: string;
  apply(em: EntityManager, event: E): Promise<void>;
  /** Empties the read model before a rebuild. */
  reset(em: EntityManager): Promise<void>;
}
