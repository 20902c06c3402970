import { parseStreamId, streamIdOf, subjectOf, subjectToken } from './stream-id';

describe('subjects', () => {
  it('builds auth.<context>.<aggregate>.<id>', () => {
    expect(subjectOf('directory', streamIdOf('group', 'admins'))).toBe('auth.directory.group.admins');
  });

  it('encodes characters that would split or wildcard a subject', () => {
    expect(subjectOf('directory', 'user:alice@example.com')).toBe('auth.directory.user.alice@example%2Ecom');
    expect(subjectToken('a*b>c d%')).toBe('a%2Ab%3Ec%20d%25');
    expect(decodeURIComponent(subjectToken('x.y%z'))).toBe('x.y%z');
  });

  it('refuses malformed stream ids', () => {
    expect(() => parseStreamId('nocolon')).toThrow();
    expect(() => parseStreamId(':x')).toThrow();
    expect(() => parseStreamId('x:')).toThrow();
    expect(parseStreamId('session:a:b')).toEqual({ aggregate: 'session', id: 'a:b' });
  });
});
