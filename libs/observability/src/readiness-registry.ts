import { Injectable } from '@nestjs/common';

/**
 * A readiness check: passes when it returns (or resolves to) anything but `false`, fails when it
 * returns `false`, throws or rejects, or takes longer than the registry's timeout.
 */
export type ReadinessCheck = () => boolean | void | Promise<boolean | void>;

/** The outcome of running every check: ready when none failed. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly failing: readonly string[];
}

/** How long one check may take before it counts as failed, so `/readyz` answers in bounded time. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/**
 * The named checks that decide whether this service is ready to serve (`GET /readyz`). Modules
 * register theirs when they start, e.g. `readiness.register('eventstore', () => store.isConnected())`.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds a check under a unique name; registering a name twice is a programming error. */
  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  /** Runs every check at once and names those that failed, in the order they were registered. */
  async report(timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = [...this.checks];
    const outcomes = await Promise.all(entries.map(([, check]) => passes(check, timeoutMs)));
    const failing = entries.filter((_, i) => !outcomes[i]).map(([name]) => name);
    return { ready: failing.length === 0, failing };
  }
}

async function passes(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const outcome = Promise.resolve()
      .then(check)
      .then((result) => result !== false);
    return await Promise.race([outcome, timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
