import { isIpLiteral, normalizeHost } from './normalize-host';

describe('normalizeHost', () => {
  describe('given a valid request host', () => {
    it.each([
      ['example.com', 'example.com'],
      ['Example.COM', 'example.com'],
      ['example.com.', 'example.com'],
      ['example.com:8080', 'example.com'],
      ['EXAMPLE.com.:443', 'example.com'],
      ['example.com:', 'example.com'],
      ['localhost', 'localhost'],
      ['a.b.c.example.com', 'a.b.c.example.com'],
      ['my_app.internal', 'my_app.internal'],
      ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
      ['10.0.0.1', '10.0.0.1'],
      ['10.0.0.1:8080', '10.0.0.1'],
      ['0.0.0.0', '0.0.0.0'],
      ['255.255.255.255', '255.255.255.255'],
      ['[::1]', '[::1]'],
      ['[::1]:8080', '[::1]'],
      ['[0:0:0:0:0:0:0:1]', '[::1]'],
      ['[2001:DB8::A]:443', '[2001:db8::a]'],
      ['[::ffff:10.0.0.1]', '[::ffff:a00:1]'],
    ])('when it is %j, then it normalises to %j', (raw, expected) => {
      expect(normalizeHost(raw)).toBe(expected);
    });

    it('when it is already normal, then the same string comes back (nothing copied)', () => {
      const host = 'app.example.com';
      expect(normalizeHost(host)).toBe(host);
    });

    it('when a label is 63 characters and the name 253, then it is accepted', () => {
      const label = 'a'.repeat(63);
      const name = [label, label, label, 'b'.repeat(61)].join('.');
      expect(name).toHaveLength(253);
      expect(normalizeHost(name)).toBe(name);
    });
  });

  describe('given a request host that is not a host name or IP literal', () => {
    it.each([
      ['empty', ''],
      ['a space', 'exa mple.com'],
      ['a leading space', ' example.com'],
      ['a NUL', 'example.com\0.evil.net'],
      ['userinfo', 'user@example.com'],
      ['userinfo with a password', 'user:pw@example.com'],
      ['a path', 'example.com/admin'],
      ['a scheme', 'https://example.com'],
      ['a wildcard', '*.example.com'],
      ['two trailing dots', 'example.com..'],
      ['an empty label', 'a..example.com'],
      ['a leading dot', '.example.com'],
      ['a label starting with a hyphen', '-a.example.com'],
      ['a label ending with a hyphen', 'a-.example.com'],
      ['a 64-character label', `${'a'.repeat(64)}.example.com`],
      ['a name over 253 characters', `${'a.'.repeat(127)}com`],
      ['a non-numeric port', 'example.com:http'],
      ['a port over 65535', 'example.com:65536'],
      ['a six-digit port', 'example.com:000080'],
      ['two ports', 'example.com:80:80'],
      ['a comma-separated list', 'a.example.com,b.example.com'],
      ['non-ASCII text', 'bücher.example'],
      ['a percent-escape', 'example%2ecom'],
      ['a short IPv4 form', '127.1'],
      ['three octets', '10.0.0'],
      ['five octets', '10.0.0.0.1'],
      ['an octet over 255', '10.0.0.256'],
      ['a leading zero (octal in some parsers)', '010.0.0.1'],
      ['a numeric last label', 'example.123'],
      ['an unbracketed IPv6 address', '::1'],
      ['an unclosed bracket', '[::1'],
      ['an IPv6 zone id', '[fe80::1%25eth0]'],
      ['an invalid IPv6 address', '[::g]'],
      ['junk after the bracket', '[::1]x'],
      ['an IPv6 literal with a trailing dot', '[::1].'],
      ['an IPv4 address in brackets', '[10.0.0.1]'],
    ])('when it holds %s, then it gives null', (_, raw) => {
      expect(normalizeHost(raw)).toBeNull();
    });
  });
});

describe('isIpLiteral', () => {
  it.each([
    ['10.0.0.1', true],
    ['[::1]', true],
    ['example.com', false],
    ['a1.example.com', false],
  ])('given %j, then it answers %s', (host, expected) => {
    expect(isIpLiteral(host)).toBe(expected);
  });
});
