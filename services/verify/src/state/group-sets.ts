import { BoundedMap } from '@gate/bounded-map';

/** The most distinct group sets kept; past it the oldest is forgotten (its sessions keep their copy). */
export const GROUP_SETS_MAX = 10_000;

/**
 * Shares one frozen array per distinct group set among the sessions that carry it: with 100k
 * sessions and a handful of IdP group sets, that saves an array and its strings per session.
 */
export class GroupSets {
  /** FIFO: a session event looks its set up once; a set forgotten only stops being shared. */
  readonly sets = new BoundedMap<string, readonly string[]>(GROUP_SETS_MAX);

  intern(groups: readonly string[]): readonly string[] {
    const key = JSON.stringify(groups); // unambiguous: ['a,b'] and ['a', 'b'] are different sets
    const known = this.sets.get(key);
    if (known) return known;
    const set = Object.freeze([...groups]);
    this.sets.set(key, set);
    return set;
  }
}
