import { DomainEventOf, EventDefinitions, EnvelopeOf } from '@gate/events';
import { ConcurrencyError } from './errors';
import { AppendMetadata, EventStore } from './event-store';

/** The pure heart of an aggregate: no I/O, time and ids arrive with the command. */
export interface Decider<Command, State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events that the command causes (none for a no-op) or throws a typed domain error. */
  decide(command: Command, state: State): Event[];
}

/** What a handled command produced: the new events, the stream's version and state after them. */
export interface CommandResult<State, E> {
  events: E[];
  version: number;
  state: State;
}

/**
 * Folds the stream, asks the decider, appends the result at the version it read. With
 * `expectedVersion` (an `If-Match` from the client) a stream that moved on is refused with
 * ConcurrencyError before deciding anything.
 */
export async function handleCommand<D extends EventDefinitions, C, S>(
  store: EventStore<D>,
  streamId: string,
  decider: Decider<C, S, DomainEventOf<D>>,
  command: C,
  meta: AppendMetadata,
  expectedVersion?: number,
): Promise<CommandResult<S, EnvelopeOf<D>>> {
  const history = await store.readStream(streamId);
  const version = history.length;
  if (expectedVersion !== undefined && expectedVersion !== version) {
    throw new ConcurrencyError(streamId, expectedVersion, version);
  }
  let state = history.reduce((s, e) => decider.evolve(s, e as unknown as DomainEventOf<D>), decider.initialState());
  const decided = decider.decide(command, state);
  const events = await store.append(streamId, version, decided, meta);
  state = decided.reduce((s, e) => decider.evolve(s, e), state);
  return { events, version: version + events.length, state };
}
