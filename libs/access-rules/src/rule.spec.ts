import { compareRules, EFFECTS, type AccessRule, type Effect } from './rule';

const rule = (id: string, priority: number, effect: Effect): AccessRule => ({
  id,
  priority,
  host: 'example.com',
  effect,
});

const order = (rules: AccessRule[]) => [...rules].sort(compareRules).map((r) => r.id);

describe('compareRules', () => {
  it('given different priorities, when sorted, then the lower number comes first whatever the effect', () => {
    expect(order([rule('a', 20, 'deny'), rule('b', -5, 'allow'), rule('c', 10, 'public')])).toEqual([
      'b',
      'c',
      'a',
    ]);
  });

  it('given equal priorities, when sorted, then deny comes before public before allow', () => {
    expect(order([rule('a', 1, 'allow'), rule('b', 1, 'public'), rule('c', 1, 'deny')])).toEqual([
      'c',
      'b',
      'a',
    ]);
  });

  it('given equal priority and effect, when sorted, then the id breaks the tie by code units', () => {
    const rules = ['b', 'B', 'a', 'a2'].map((id) => rule(id, 1, 'allow'));
    expect(order(rules)).toEqual(['B', 'a', 'a2', 'b']);
  });

  it('given any input order, when sorted, then the result is the same', () => {
    const rules = [rule('x', 2, 'allow'), rule('y', 1, 'deny'), rule('z', 1, 'allow'), rule('w', 1, 'allow')];
    expect(order(rules)).toEqual(order([...rules].reverse()));
    expect(order(rules)).toEqual(['y', 'w', 'z', 'x']);
  });

  it('given the tie-break list, then it names deny, public, allow in that order', () => {
    expect(EFFECTS).toEqual(['deny', 'public', 'allow']);
  });
});
