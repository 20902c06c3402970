import { normalizePath, type PathRejection } from './normalize-path';

describe('normalizePath', () => {
  describe('given a path that needs no work', () => {
    it.each(['/', '/admin', '/admin/', '/a/b/c.html', '/.well-known/jwks.json', '/a/..b/c.', '/a;b=1/c'])(
      'when it is %j, then the very same string comes back',
      (raw) => {
        const result = normalizePath(raw);
        expect(result).toEqual({ ok: true, path: raw });
        expect(result.ok && result.path).toBe(raw);
      },
    );
  });

  describe('given a query', () => {
    it.each([
      ['/admin?x=1', '/admin'],
      ['/admin?next=/../public', '/admin'],
      ['/public?%2F', '/public'],
      ['/public?a#/../admin', '/public'],
      ['/?', '/'],
      ['/a/../b?c=../d', '/b'],
    ])('when it is %j, then the query never takes part: %j', (raw, path) => {
      expect(normalizePath(raw)).toEqual({ ok: true, path });
    });
  });

  describe('given a path to normalise', () => {
    it.each([
      ['/public/../admin', '/admin'],
      ['/public/%2e%2e/admin', '/admin'],
      ['/public/%2E%2E/admin', '/admin'],
      ['/public/.%2e/admin', '/admin'],
      ['//admin', '/admin'],
      ['/x//../admin', '/admin'],
      ['///a////b', '/a/b'],
      ['/a/./b', '/a/b'],
      ['/a/b/..', '/a/'],
      ['/a/b/.', '/a/b/'],
      ['/a//', '/a/'],
      ['/..', '/'],
      ['/../../admin', '/admin'],
      ['/.', '/'],
      ['//', '/'],
      ['/%61dmin', '/admin'],
      ['/caf%C3%A9', '/café'],
      ['/a%20b', '/a b'],
      ['/a%3Fb', '/a?b'],
      ['/public%23x', '/public#x'],
      ['/public/%23/../../admin', '/admin'],
      ['/100%25', '/100%'],
      ['/%252e%252e/admin', '/%2e%2e/admin'],
    ])('when it is %j, then it becomes %j', (raw, path) => {
      expect(normalizePath(raw)).toEqual({ ok: true, path });
    });
  });

  describe('given a malformed path', () => {
    it.each<[string, PathRejection]>([
      ['', 'empty'],
      ['admin', 'not-absolute'],
      ['*', 'not-absolute'],
      ['http://example.com/admin', 'not-absolute'],
      ['?/admin', 'not-absolute'],
      ['/a%2Fb', 'encoded-slash'],
      ['/a%2fb', 'encoded-slash'],
      ['/public%2F..%2Fadmin', 'encoded-slash'],
      ['/a\\b', 'backslash'],
      ['/public\\..\\admin', 'backslash'],
      ['/a%5Cb', 'backslash'],
      ['/a%5cb', 'backslash'],
      ['/a\0b', 'nul'],
      ['/a%00b', 'nul'],
      ['/a%', 'invalid-percent-encoding'],
      ['/a%4', 'invalid-percent-encoding'],
      ['/a%zzb', 'invalid-percent-encoding'],
      ['/a%ff', 'invalid-percent-encoding'],
      ['/a%C3', 'invalid-percent-encoding'],
      ['/a%ED%A0%80', 'invalid-percent-encoding'],
      ['/..;/admin', 'dot-segment-parameters'],
      ['/.;/admin', 'dot-segment-parameters'],
      ['/public/..;/admin', 'dot-segment-parameters'],
      ['/public/..;x=1/admin', 'dot-segment-parameters'],
      ['/public/..;', 'dot-segment-parameters'],
      ['/public/.;', 'dot-segment-parameters'],
      ['/public/%2e%2e;/admin', 'dot-segment-parameters'],
      ['/public/..%3B/admin', 'dot-segment-parameters'],
      ['/a b', 'invalid-character'],
      ['/a\tb', 'invalid-character'],
      ['/a\r\nX-Injected: 1', 'invalid-character'],
      ['/café', 'invalid-character'],
      ['/a\x7f', 'invalid-character'],
      ['/a#frag', 'fragment'],
      ['/public#/../admin', 'fragment'],
      ['/public/..#', 'fragment'],
    ])('when it is %j, then it is refused as %j', (raw, reason) => {
      expect(normalizePath(raw)).toEqual({ ok: false, reason });
    });

    it('when the same problem comes twice, then the same frozen answer is shared (no allocation)', () => {
      const first = normalizePath('/a%2Fb');
      expect(normalizePath('/c%2fd')).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    });

    it('when a bad character sits in the query only, then only the path is judged', () => {
      expect(normalizePath('/a?b=c d\\e%2F')).toEqual({ ok: true, path: '/a' });
    });
  });
});
