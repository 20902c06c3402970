import { type Context, type HeadAnnouncement, headSubjectOf } from '@gate/events';
import type { NatsConnection } from '@nats-io/transport-node';

/** What the announcer needs of the bus: the connection once made, and whether it is up right now. */
export interface AnnouncerBus {
  readonly connectionNow: NatsConnection | null;
  readonly up: boolean;
}

/**
 * Announces a context's committed head on `auth.<context>.head` every `everyMs` (and at once on
 * `announceNow`): the outbox relay's heartbeat, which verify's freshness rests on. Nothing is sent
 * while the bus is down, so no announcement waits in a buffer to arrive late; each one carries the
 * time its head was read, so a late one cannot make verify fresher than it was.
 */
export class HeadAnnouncer {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly bus: AnnouncerBus,
    private readonly context: Context,
    /** Reads the highest committed position (0 for an empty log). */
    private readonly readHead: () => Promise<number>,
    private readonly everyMs = 1000,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.announceNow(), this.everyMs);
    this.timer.unref();
    void this.announceNow();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the head and publishes it, unless the bus is down or an announcement is under way. */
  async announceNow(): Promise<void> {
    const nc = this.bus.connectionNow;
    if (this.busy || !nc || !this.bus.up) return;
    this.busy = true;
    try {
      const at = new Date().toISOString();
      const position = await this.readHead();
      if (!this.bus.up || nc.isClosed()) return;
      const announcement: HeadAnnouncement = { context: this.context, position, at };
      nc.publish(headSubjectOf(this.context), JSON.stringify(announcement));
    } catch (err) {
      this.onError(err);
    } finally {
      this.busy = false;
    }
  }
}
