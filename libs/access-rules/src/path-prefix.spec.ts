import { pathHasPrefix } from './path-prefix';

describe('pathHasPrefix', () => {
  describe('given the prefix /admin', () => {
    it.each(['/admin', '/admin/', '/admin/x', '/admin/x/y'])(
      'when the path is %j, then it is covered',
      (path) => expect(pathHasPrefix(path, '/admin', false)).toBe(true),
    );

    it.each(['/adminx', '/admin.php', '/admi', '/', '/ADMIN', '/Admin/x', '/x/admin'])(
      'when the path is %j, then it is not covered',
      (path) => expect(pathHasPrefix(path, '/admin', false)).toBe(false),
    );
  });

  describe('given the prefix /admin/ (with a trailing slash)', () => {
    it.each([
      ['/admin/', true],
      ['/admin/x', true],
      ['/admin', false],
      ['/adminx/', false],
    ])('when the path is %j, then covered is %s', (path, covered) => {
      expect(pathHasPrefix(path, '/admin/', false)).toBe(covered);
    });
  });

  describe('given the root prefix /', () => {
    it.each(['/', '/a', '/admin/x'])('when the path is %j, then it is covered', (path) => {
      expect(pathHasPrefix(path, '/', false)).toBe(true);
    });
  });

  describe('given a multi-segment prefix /api/v1', () => {
    it.each([
      ['/api/v1', true],
      ['/api/v1/users', true],
      ['/api/v10', false],
      ['/api', false],
    ])('when the path is %j, then covered is %s', (path, covered) => {
      expect(pathHasPrefix(path, '/api/v1', false)).toBe(covered);
    });
  });

  describe('given ignoreCase', () => {
    it.each(['/ADMIN', '/Admin/x', '/aDmIn/', '/admin'])(
      'when the path is %j, then /admin covers it',
      (path) => expect(pathHasPrefix(path, '/admin', true)).toBe(true),
    );

    it('when the prefix has capitals, then they fold too', () => {
      expect(pathHasPrefix('/admin/x', '/ADMIN', true)).toBe(true);
    });

    it.each(['/ADMINX', '/admi'])('when the path is %j, then segments still count', (path) => {
      expect(pathHasPrefix(path, '/admin', true)).toBe(false);
    });

    it('when characters differ only beyond ASCII letters, then they do not fold', () => {
      // "@" (64) and "`" (96) differ by 0x20 like case, but are not letters.
      expect(pathHasPrefix('/@', '/`', true)).toBe(false);
      // The Kelvin sign lower-cases to "k" under Unicode rules; ASCII folding keeps it distinct.
      expect(pathHasPrefix('/\u212a', '/k', true)).toBe(false);
      expect(pathHasPrefix('/CAFÉ', '/café', true)).toBe(false);
    });
  });
});
