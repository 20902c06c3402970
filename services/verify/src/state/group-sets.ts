/** The most distinct group sets kept; past it, sets are no longer shared (correct, only larger). */
const MAX_SETS = 10_000;

/**
 * Shares one frozen array per distinct group set among the sessions that carry it: with 100k
 * sessions and a handful of IdP group sets, that saves an array and its strings per session.
 */
export class GroupSets {
  private readonly sets = new Map<string, readonly string[]>();

  intern(groups: readonly string[]): readonly string[] {
    const key = JSON.stringify(groups); // unambiguous: ['a,b'] and ['a', 'b'] are different sets
    const known = this.sets.get(key);
    if (known) return known;
    const set = Object.freeze([...groups]);
    if (this.sets.size < MAX_SETS) this.sets.set(key, set);
    return set;
  }
}
