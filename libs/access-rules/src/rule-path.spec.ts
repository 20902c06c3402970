import { decodeRulePath, parseRulePath } from './rule-path';

describe('parseRulePath', () => {
  describe('given a valid prefix', () => {
    it.each([
      ['/admin', '/admin'],
      ['/', '/'],
      ['/admin/', '/admin/'],
      ['//admin', '/admin'],
      ['/public/../admin', '/admin'],
      ['/%61dmin', '/admin'],
      ['/caf%c3%a9', '/caf%C3%A9'],
      ['/a%3Fb', '/a%3Fb'],
      ['/a%23b', '/a%23b'],
      ['/100%25', '/100%25'],
      ['/a%20b', '/a%20b'],
    ])('when it is %j, then its canonical text is %j', (raw, text) => {
      expect(parseRulePath(raw)).toBe(text);
    });

    it.each(['/caf%C3%A9', '/a%3Fb', '/100%25', '/x/../y/', '/a%5Bb%5D'])(
      'when %j is parsed twice, then the text does not change',
      (raw) => {
        const once = parseRulePath(raw);
        expect(parseRulePath(once)).toBe(once);
      },
    );

    it('when decoded, then it matches what a request to it normalises to', () => {
      expect(decodeRulePath(parseRulePath('/caf%c3%a9/%3F'))).toBe('/café/?');
    });
  });

  describe('given an invalid prefix', () => {
    it.each([
      [42, /not a string/],
      ['', /is empty/],
      ['admin', /does not start with "\/"/],
      ['/admin?x=1', /query or fragment/],
      ['/admin#top', /query or fragment/],
      ['/a%2Fb', /encoded slash/],
      ['/a\\b', /backslash/],
      ['/a%00', /NUL/],
      ['/a%zz', /percent-escape/],
      ['/..;/admin', /dot segment with parameters/],
      ['/café', /percent-encode it/],
    ])('when it is %j, then it is refused with RULES.INVALID_PATH (%s)', (raw, message) => {
      const attempt = () => parseRulePath(raw);
      expect(attempt).toThrow(message);
      expect(attempt).toThrow(expect.objectContaining({ code: 'RULES.INVALID_PATH', field: 'paths' }));
    });
  });
});
