import { MAX_SESSION_COOKIES, sessionCookieValues } from './session-cookies';

// The cases of the three readers this one replaced (login's readCookie, sessions' and verify's
// cookieValues), with the one behaviour they now share.

describe('reading the session cookie', () => {
  it('finds every cookie of the name, in order, and nothing of other names', () => {
    expect(sessionCookieValues('a=1; gate_session=x.y.z; gate_sessionx=no; xgate_session=no; gate_session=second', 'gate_session')).toEqual(['x.y.z', 'second']);
    expect(sessionCookieValues('a=1; gate_session=k.s.m; b=2', 'gate_session')).toEqual(['k.s.m']);
    expect(sessionCookieValues('xgate_session=1; gate_sessionx=2', 'gate_session')).toEqual([]);
    expect(sessionCookieValues('a=1; a=2', 'a')[0]).toBe('1');
  });

  it('strips white space and optional quotes, skips empty values, never percent-decodes', () => {
    expect(sessionCookieValues(' gate_session = "v1" ;gate_session=;gate_session="";\tgate_session=v2\t', 'gate_session')).toEqual(['v2']);
    expect(sessionCookieValues('gate_session="v1"', 'gate_session')).toEqual(['v1']);
    expect(sessionCookieValues('a=1; gate_session=x.y.z; b=2; gate_session="q.r.s"', 'gate_session')).toEqual(['x.y.z', 'q.r.s']);
    expect(sessionCookieValues('gate_session=a%20b', 'gate_session')).toEqual(['a%20b']);
  });

  it('drops duplicates (they do not use up the limit) and returns at most a few values', () => {
    expect(sessionCookieValues('gate_session=a; gate_session=b; gate_session="a"; gate_session=b', 'gate_session')).toEqual(['a', 'b']);
    expect(sessionCookieValues('gate_session=a; gate_session=ab; gate_session=a', 'gate_session')).toEqual(['a', 'ab']);
    const many = Array.from({ length: 50 }, (_, i) => `gate_session=v${i}`).join('; ');
    expect(sessionCookieValues(many, 'gate_session')).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(MAX_SESSION_COOKIES).toBe(4);
    expect(sessionCookieValues(`${'gate_session=same; '.repeat(20)}gate_session=other`, 'gate_session')).toEqual(['same', 'other']);
  });

  it('reads several Cookie headers as one', () => {
    expect(sessionCookieValues(['gate_session=1', 'a=0; gate_session=2'], 'gate_session')).toEqual(['1', '2']);
    expect(sessionCookieValues([], 'gate_session')).toEqual([]);
  });

  it('never throws on garbage, and reads nothing from a header over 16 KB', () => {
    expect(sessionCookieValues(undefined, 'gate_session')).toEqual([]);
    expect(sessionCookieValues('', 'gate_session')).toEqual([]);
    expect(sessionCookieValues(';;;==;', 'gate_session')).toEqual([]);
    expect(sessionCookieValues(';;;===;gate_session', 'gate_session')).toEqual([]);
    expect(sessionCookieValues(`gate_session=${'x'.repeat(8192)}`, 'gate_session')).toEqual(['x'.repeat(8192)]);
    expect(sessionCookieValues('gate_session=\u00ff\u00fe%E0%A4%A', 'gate_session')).toEqual(['\u00ff\u00fe%E0%A4%A']);
    expect(sessionCookieValues('x'.repeat(20_000), 'gate_session')).toEqual([]);
    expect(sessionCookieValues(`gate_session=first; pad=${'x'.repeat(16_384)}`, 'gate_session')).toEqual([]);
    expect(sessionCookieValues(42 as unknown as string, 'gate_session')).toEqual([]);
  });
});
