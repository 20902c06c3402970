import { GroupSets } from './group-sets';

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
});
