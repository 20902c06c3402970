import { GROUP_SETS_MAX, GroupSets } from './group-sets';

describe('GroupSets', () => {
  it('shares one frozen array per distinct set and never confuses two sets', () => {
    const sets = new GroupSets();
    const a = sets.intern(['staff', 'ops']);
    expect(sets.intern(['staff', 'ops'])).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(sets.intern(['ops', 'staff'])).toEqual(['ops', 'staff']);
    expect(sets.intern(['a,b'])).toEqual(['a,b']);
    expect(sets.intern(['a', 'b'])).toEqual(['a', 'b']);
    expect(sets.intern(['a\nb'])).toEqual(['a\nb']);
    expect(sets.intern([])).toEqual([]);
  });

  it('keeps at most GROUP_SETS_MAX sets: the oldest is forgotten, new ones are still shared', () => {
    const sets = new GroupSets();
    const oldest = sets.intern(['g0']);
    for (let i = 1; i <= GROUP_SETS_MAX; i++) sets.intern([`g${i}`]);
    const newest = sets.intern([`g${GROUP_SETS_MAX}`]);
    expect(sets.intern([`g${GROUP_SETS_MAX}`])).toBe(newest);
    expect([sets.sets.size, sets.sets.evictions.count]).toEqual([GROUP_SETS_MAX, 1]);
    expect(sets.intern(['g0'])).not.toBe(oldest);
    expect(sets.intern(['g0'])).toEqual(['g0']);
  });
});
