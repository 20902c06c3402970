import { SERVICE_CONFIG } from '@gate/config';
import { ConcurrencyError } from '@gate/eventstore';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import { type SessionsConfig } from '../config';
import { SessionReadModel } from '../read-model/session-read-model';
import { SessionCommands } from '../use-cases/session-commands';

const BATCH = 200;

/**
 * Every `SESSION_SWEEP_INTERVAL`, appends `SessionExpired` for each active session past its
 * absolute expiry or idle timeout. Safe with several replicas: a replica that loses a race gets a
 * ConcurrencyError or finds the session already ended (no event) and moves on.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly logger = new Logger('SessionSweeper');

  constructor(
    private readonly readModel: SessionReadModel,
    private readonly commands: SessionCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: SessionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((err) => this.logger.error(`sweep failed: ${(err as Error).message}`)), this.config.SESSION_SWEEP_INTERVAL);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Expires every session due at the clock's now; returns how many this call expired. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    const tried = new Set<string>();
    for (;;) {
      const due = (await this.readModel.dueForExpiry(now, BATCH)).filter((d) => !tried.has(d.sessionId));
      if (due.length === 0) return expired;
      for (const { sessionId, lastSeenAt } of due) {
        tried.add(sessionId);
        try {
          const { events } = await this.commands.run(sessionId, { type: 'ExpireSession', now, lastSeenAt }, 'system:sweeper');
          expired += events.length;
        } catch (err) {
          if (!(err instanceof ConcurrencyError)) throw err;
        }
      }
    }
  }
}
