import { formatHostPattern, hostMatches, parseHostPattern, type HostPattern } from './host-pattern';
import { AccessRuleError } from './rule-error';

function refusal(raw: string): AccessRuleError {
  try {
    parseHostPattern(raw);
  } catch (error) {
    if (error instanceof AccessRuleError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('parseHostPattern', () => {
  describe('given a valid pattern', () => {
    it.each<[string, HostPattern]>([
      ['example.com', { kind: 'exact', host: 'example.com' }],
      ['App.Example.COM.', { kind: 'exact', host: 'app.example.com' }],
      ['example.com:8443', { kind: 'exact', host: 'example.com' }],
      ['10.0.0.1', { kind: 'exact', host: '10.0.0.1' }],
      ['[::1]:8080', { kind: 'exact', host: '[::1]' }],
      ['localhost', { kind: 'exact', host: 'localhost' }],
      ['*.example.com', { kind: 'wildcard', suffix: 'example.com' }],
      ['*.EXAMPLE.com.', { kind: 'wildcard', suffix: 'example.com' }],
      ['*.example.com:443', { kind: 'wildcard', suffix: 'example.com' }],
      ['*.a.b.example.com', { kind: 'wildcard', suffix: 'a.b.example.com' }],
      ['*.co.uk', { kind: 'wildcard', suffix: 'co.uk' }],
    ])('when it is %j, then it parses to %j', (raw, expected) => {
      expect(parseHostPattern(raw)).toEqual(expected);
    });

    it.each(['Example.com:80', '*.Example.com.', '[0::1]'])(
      'when %j is formatted and parsed again, then nothing changes',
      (raw) => {
        const pattern = parseHostPattern(raw);
        expect(parseHostPattern(formatHostPattern(pattern))).toEqual(pattern);
      },
    );
  });

  describe('given an invalid pattern', () => {
    it.each([
      ['', /is empty/],
      ['*', /would match every host/],
      ['*.', /would match every host/],
      ['*.com', /single label/],
      ['*.localhost', /single label/],
      ['a.*.com', /only as a whole first label/],
      ['*example.com', /only as a whole first label/],
      ['**.example.com', /only as a whole first label/],
      ['*.*.example.com', /only as a whole first label/],
      ['app.*', /only as a whole first label/],
      ['*.10.0.0.1', /over an IP address/],
      ['exa mple.com', /whitespace/],
      ['example.com\0', /NUL/],
      ['admin@example.com', /userinfo/],
      ['https://example.com', /is a URL/],
      ['example.com/admin', /contains a path/],
      ['bücher.example', /xn-- form/],
      ['example..com', /not a valid host name or IP literal/],
      ['*.exa mple.com', /whitespace/],
    ])('when it is %j, then it is refused with RULES.INVALID_HOST_PATTERN (%s)', (raw, message) => {
      const error = refusal(raw);
      expect(error.code).toBe('RULES.INVALID_HOST_PATTERN');
      expect(error.field).toBe('host');
      expect(error.message).toMatch(message);
    });
  });
});

describe('hostMatches', () => {
  const wildcard = parseHostPattern('*.example.com');
  const exact = parseHostPattern('example.com');

  describe('given the wildcard *.example.com', () => {
    it.each(['a.example.com', 'a.b.example.com', 'x.y.z.example.com'])(
      'when the host is %j (a subdomain at any depth), then it matches',
      (host) => expect(hostMatches(wildcard, host)).toBe(true),
    );

    it.each([
      ['the apex', 'example.com'],
      ['a look-alike name', 'evil-example.com'],
      ['a name glued to the suffix', 'aexample.com'],
      ['the suffix inside another name', 'example.com.evil.net'],
      ['another domain', 'example.org'],
    ])('when the host is %s (%j), then it does not match', (_, host) => {
      expect(hostMatches(wildcard, host)).toBe(false);
    });
  });

  describe('given the exact pattern example.com', () => {
    it('when the host is the same, then it matches', () => {
      expect(hostMatches(exact, 'example.com')).toBe(true);
    });

    it.each(['a.example.com', 'example.com.evil.net', 'evil-example.com'])(
      'when the host is %j, then it does not match',
      (host) => expect(hostMatches(exact, host)).toBe(false),
    );
  });
});
