/** At most this many announcements wait for verify to catch up with them (one a second is usual). */
const MAX_PENDING = 64;
/**
 * An announcement may lag an event verify already applied (the head was read just before the
 * event committed, and the event overtook the announcement): only this many in a row below an
 * applied position mean the position was never committed.
 */
const OVERRUN_ANNOUNCEMENTS = 3;

/**
 * How fresh verify's state of one context is, from its relay's head announcements. An
 * announcement says "every event up to `position` was committed as of `asOfMs`"; once verify has
 * applied up to that position, its state is complete as of that moment. `freshAsOfMs` is the
 * latest such moment (0 until the first one), so it stops advancing both when announcements stop
 * (NATS, or the relay, is gone) and when events stop arriving (they wait in the outbox).
 */
export class CommittedHead {
  /** Verify's state of this context was complete as of this time (epoch ms; 0: never yet). */
  freshAsOfMs = 0;
  /** The highest position announced so far. */
  announced = 0;
  private pending: { position: number; asOfMs: number }[] = [];
  private overrun: { applied: number; count: number } | null = null;

  /**
   * Takes an announcement, given the position applied so far. `asOfMs` is when the head was read,
   * capped by when the announcement arrived, so one that was held up somewhere counts for when it
   * was true, not for when it came. Returns the applied position that the last few announcements
   * all stayed below (an event the relay never committed: an alarm), once, else null.
   */
  announce(position: number, asOfMs: number, applied: number): number | null {
    if (position > this.announced) this.announced = position;
    const overrun = this.checkOverrun(position, applied);
    if (applied >= position) {
      if (asOfMs > this.freshAsOfMs) this.freshAsOfMs = asOfMs;
      return overrun;
    }
    this.pending.push({ position, asOfMs });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    return overrun;
  }

  /** Verify has applied up to `applied`: the announcements it has now reached count. */
  applied(applied: number): void {
    while (this.pending.length > 0 && this.pending[0].position <= applied) {
      const { asOfMs } = this.pending.shift()!;
      if (asOfMs > this.freshAsOfMs) this.freshAsOfMs = asOfMs;
    }
  }

  private checkOverrun(position: number, applied: number): number | null {
    if (applied <= position) {
      this.overrun = null;
      return null;
    }
    if (this.overrun === null || this.overrun.applied !== applied) this.overrun = { applied, count: 0 };
    this.overrun.count++;
    return this.overrun.count === OVERRUN_ANNOUNCEMENTS ? applied : null;
  }

  /** Announced head minus applied position (0 when caught up). */
  lag(applied: number): number {
    return Math.max(0, this.announced - applied);
  }
}
