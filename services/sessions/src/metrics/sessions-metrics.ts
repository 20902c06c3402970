import { SessionsEnvelope } from '@gate/events';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { type Clock, CLOCK } from '../clock';
import { SessionReadModel } from '../read-model/session-read-model';

/**
 * The sessions service's domain metrics: `sessions_active` (read from the read model on scrape),
 * and counters of sessions started, revoked (by reason) and expired, fed from committed events.
 */
@Injectable()
export class SessionsMetrics {
  private readonly started: Counter;
  private readonly revoked: Counter<'reason'>;
  private readonly expired: Counter;

  constructor(@Inject(Registry) registry: Registry, readModel: SessionReadModel, @Inject(CLOCK) clock: Clock) {
    const registers = [registry];
    this.started = new Counter({ name: 'sessions_started_total', help: 'Sessions started', registers });
    this.revoked = new Counter({ name: 'sessions_revoked_total', help: 'Sessions revoked, by reason', labelNames: ['reason'], registers });
    this.expired = new Counter({ name: 'sessions_expired_total', help: 'Sessions that expired (lifetime or idle timeout)', registers });
    new Gauge({
      name: 'sessions_active',
      help: 'Sessions active and unexpired now',
      registers,
      async collect() {
        this.set(await readModel.countActive(clock.now()));
      },
    });
  }

  /** Counts what a command committed. */
  observe(events: SessionsEnvelope[]): void {
    for (const e of events) {
      if (e.type === 'SessionStarted') this.started.inc();
      else if (e.type === 'SessionRevoked') this.revoked.inc({ reason: e.data.reason });
      else this.expired.inc();
    }
  }
}
