import { parseIfMatch } from './if-match.decorator';

describe('parseIfMatch', () => {
  it('reads the version from a strong, weak or bare ETag; absent or * means no check', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
  });

  it('refuses anything else with a 400 code rather than skipping the check', () => {
    for (const bad of ['"abc"', '"1", "2"', '-1', 'W/"x"']) {
      expect(() => parseIfMatch(bad)).toThrow(expect.objectContaining({ code: 'DIRECTORY.INVALID_IF_MATCH', kind: 'invalid' }));
    }
  });
});
