import { buildHostIndex, lookupHost } from './host-index';
import { hostMatches, parseHostPattern } from './host-pattern';

// Values are the pattern text itself, ordered alphabetically, so each lookup shows what it found.
function indexOf(patterns: string[]) {
  const items = patterns.map((raw) => ({ pattern: parseHostPattern(raw), value: raw }));
  return buildHostIndex(items, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const lookup = (patterns: string[], host: string) => lookupHost(indexOf(patterns), host)?.values ?? [];

describe('lookupHost', () => {
  const patterns = [
    'example.com',
    '*.example.com',
    '*.b.example.com',
    'a.b.example.com',
    'x.b.example.com',
    'other.net',
  ];

  describe('given exact and wildcard patterns', () => {
    it.each([
      ['example.com', ['example.com']],
      ['a.example.com', ['*.example.com']],
      ['b.example.com', ['*.example.com']],
      ['c.b.example.com', ['*.b.example.com', '*.example.com']],
      ['d.c.b.example.com', ['*.b.example.com', '*.example.com']],
      ['a.b.example.com', ['*.b.example.com', '*.example.com', 'a.b.example.com']],
      ['other.net', ['other.net']],
      ['evil-example.com', []],
      ['example.com.evil.net', []],
      ['aexample.com', []],
      ['sub.other.net', []],
      ['unknown.org', []],
      ['10.0.0.1', []],
    ])('when the host is %j, then it finds %j', (host, expected) => {
      expect(lookup(patterns, host)).toEqual(expected);
    });

    it('when a host has its own exact entry, then the entry says so', () => {
      expect(lookupHost(indexOf(patterns), 'a.b.example.com')?.pattern).toEqual({
        kind: 'exact',
        host: 'a.b.example.com',
      });
    });

    it('when only wildcards cover a host, then the most specific suffix is named', () => {
      expect(lookupHost(indexOf(patterns), 'q.c.b.example.com')?.pattern).toEqual({
        kind: 'wildcard',
        suffix: 'b.example.com',
      });
    });
  });

  describe('given two wildcard suffixes whose hashes collide', () => {
    // Same length, and first labels that hash alike: "an" and "c0" give 97 * 31 + 110 = 99 * 31 + 48.
    const colliding = ['*.an.example.net', '*.c0.example.net'];

    it('when both are indexed, then they really share one bucket', () => {
      const index = indexOf(colliding);
      expect(index.wildcard.size).toBe(1);
      expect([...index.wildcard.values()][0]).toHaveLength(2);
    });

    it('when each is looked up, then each gets its own rules', () => {
      expect(lookup(colliding, 'app.an.example.net')).toEqual(['*.an.example.net']);
      expect(lookup(colliding, 'app.c0.example.net')).toEqual(['*.c0.example.net']);
      expect(lookup(colliding, 'app.xx.example.net')).toEqual([]);
    });
  });

  describe('given only wildcard patterns', () => {
    it('when the host is the apex of a wildcard, then nothing is found', () => {
      expect(lookup(['*.example.com'], 'example.com')).toEqual([]);
    });
  });

  describe('given no patterns', () => {
    it('when any host is looked up, then nothing is found', () => {
      expect(lookupHost(indexOf([]), 'example.com')).toBeUndefined();
    });
  });

  describe('given many random patterns and hosts', () => {
    it('when each host is looked up, then the result equals checking every pattern one by one', () => {
      let seed = 7;
      const next = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        return seed % n;
      };
      const labels = ['a', 'b', 'c', 'an', 'c0', 'example'];
      const label = () => labels[next(labels.length)];
      const name = () => `${Array.from({ length: 1 + next(4) }, label).join('.')}.com`;
      const rawPatterns = [...new Set(Array.from({ length: 60 }, () => (next(2) ? `*.${name()}` : name())))];
      const index = indexOf(rawPatterns);
      for (let i = 0; i < 2000; i++) {
        const host = name();
        const expected = rawPatterns.filter((raw) => hostMatches(parseHostPattern(raw), host)).sort();
        expect([host, lookupHost(index, host)?.values ?? []]).toEqual([host, expected]);
      }
    });
  });
});
