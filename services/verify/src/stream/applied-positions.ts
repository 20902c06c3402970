/** How many recent positions keep the id of the event applied there. */
const REMEMBERED = 8192;

/** What an event at an already-applied position is: the same event again, another one, or too old to tell. */
export type Replayed = 'same' | 'conflict' | 'unverifiable';

/**
 * The ids of the events applied at the last few thousand positions of one stream, so that an
 * event arriving at a position already applied can be told apart: the same event delivered again
 * (harmless) or another event under that position (an alarm: a forged or misrouted event, or a
 * relay that lost its history). A fixed ring: memory does not grow with the stream.
 */
export class AppliedPositions {
  private readonly positions = new Float64Array(REMEMBERED);
  private readonly ids: (string | undefined)[] = new Array(REMEMBERED);

  remember(position: number, id: string): void {
    const slot = position % REMEMBERED;
    this.positions[slot] = position;
    this.ids[slot] = id;
  }

  /** The id applied at `position`, if it is still remembered. */
  idAt(position: number): string | undefined {
    const slot = position % REMEMBERED;
    return this.positions[slot] === position ? this.ids[slot] : undefined;
  }

  /** Classifies an event that arrived at an applied position. */
  check(position: number, id: string): Replayed {
    const applied = this.idAt(position);
    if (applied === undefined) return 'unverifiable';
    return applied === id ? 'same' : 'conflict';
  }
}
