import { cookieValues } from './cookie-values';

describe('reading our session cookies', () => {
  it('finds every cookie of our name, in order, and nothing else', () => {
    expect(cookieValues('a=1; gate_session=x.y.z; gate_sessionx=no; xgate_session=no; gate_session=second', 'gate_session')).toEqual(['x.y.z', 'second']);
  });

  it('strips white space and optional quotes, skips empty values', () => {
    expect(cookieValues(' gate_session = "v1" ;gate_session=;gate_session="";\tgate_session=v2\t', 'gate_session')).toEqual(['v2']);
    expect(cookieValues('gate_session="v1"', 'gate_session')).toEqual(['v1']);
  });

  it('returns at most a few values', () => {
    expect(cookieValues(Array.from({ length: 50 }, (_, i) => `gate_session=v${i}`).join('; '), 'gate_session')).toEqual(['v0', 'v1', 'v2', 'v3']);
  });

  it('never throws on garbage: empty, huge, non-UTF-8 bytes as latin1, bad percent escapes', () => {
    expect(cookieValues(undefined, 'gate_session')).toEqual([]);
    expect(cookieValues('', 'gate_session')).toEqual([]);
    expect(cookieValues(';;;==;', 'gate_session')).toEqual([]);
    expect(cookieValues(`gate_session=${'x'.repeat(8192)}`, 'gate_session')).toEqual(['x'.repeat(8192)]);
    expect(cookieValues('gate_session=\u00ff\u00fe%E0%A4%A', 'gate_session')).toEqual(['\u00ff\u00fe%E0%A4%A']);
  });
});
