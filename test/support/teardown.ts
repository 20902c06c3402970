/**
 * What a test stack started, undone newest first: by `close()` when the tests are done, or at once
 * when starting fails half-way, so that a failed `beforeAll` (a missing tool, a port in use) leaves
 * no nats-server, schema or server behind to keep jest from exiting.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];

  /** Registers how to undo what just started (`value`); returns `value`. */
  add<T>(value: T, undo: (value: T) => unknown): T {
    this.steps.push(() => undo(value));
    return value;
  }

  /** Runs `start`; if it throws, undoes what it registered so far and rethrows its error. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  /** Undoes everything, newest first; every step runs even when one fails (the first failure is thrown). */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
