/** The stream moved on since the caller read it: nothing was written. Maps to 409/412 at the edge. */
export class ConcurrencyError extends Error {
  readonly code = 'EVENTSTORE.CONCURRENCY';
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'ConcurrencyError';
  }
}
