import { cookieValues } from './cookies';

describe('cookieValues', () => {
  it('returns every value of the name in order, and nothing of other names', () => {
    expect(cookieValues('a=1; gate_session=x.y.z; b=2; gate_session="q.r.s"', 'gate_session')).toEqual(['x.y.z', 'q.r.s']);
    expect(cookieValues('xgate_session=1; gate_sessionx=2', 'gate_session')).toEqual([]);
    expect(cookieValues(undefined, 'gate_session')).toEqual([]);
    expect(cookieValues(['gate_session=1', 'gate_session=2'], 'gate_session')).toEqual(['1', '2']);
  });

  it('never throws on garbage and caps what it looks at', () => {
    expect(cookieValues(';;;===;gate_session', 'gate_session')).toEqual([]);
    expect(cookieValues('x'.repeat(20_000), 'gate_session')).toEqual([]);
    expect(cookieValues(Array.from({ length: 50 }, (_, i) => `gate_session=${i}`).join('; '), 'gate_session')).toHaveLength(8);
  });
});
