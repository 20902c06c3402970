import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cookieDomainFor, returnUrlOrDefault, safeReturnUrl } from './return-url';

const DOMAINS = ['example.com', 'example.org'];

describe('return URL check', () => {
  it('accepts absolute https URLs on a cookie domain or a subdomain of one, any port', () => {
    for (const ok of ['https://example.com/', 'https://app.example.com/x?y=1#z', 'https://a.b.example.org:8443/p', 'https://APP.Example.COM/']) {
      expect(safeReturnUrl(ok, DOMAINS)).not.toBeNull();
    }
    expect(safeReturnUrl('https://app.example.com/a/b?c=d', DOMAINS)?.href).toBe('https://app.example.com/a/b?c=d');
  });

  it('refuses other schemes, relative forms, look-alike hosts, user info and encoded tricks', () => {
    for (const bad of [
      'http://app.example.com/',
      '//app.example.com/',
      '/relative',
      'https:app.example.com',
      'https:/app.example.com',
      'https:///app.example.com',
      'https://evil.com/',
      'https://example.com.evil.com/',
      'https://evilexample.com/',
      'https://user@app.example.com/',
      'https://app.example.com@evil.com/',
      'https://app.example.com\\@evil.com/',
      'https://app.example.com%2f@evil.com/',
      'https://app.example.com/%0d%0aSet-Cookie:x',
      'https://app.example.com/ x',
      'https://app.example.com/\tx',
      'javascript:alert(1)',
      'https://[::1]/',
      '',
      undefined,
      ['https://app.example.com/'],
      `https://app.example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(safeReturnUrl(bad, DOMAINS)).toBeNull();
    }
  });

  it('accepts http:// only for a loopback name on a cookie domain (the local demo), never elsewhere', () => {
    const local = ['gate.localhost', ...DOMAINS];
    expect(safeReturnUrl('http://app.gate.localhost:8080/x', local)?.href).toBe('http://app.gate.localhost:8080/x');
    for (const bad of ['http://app.example.com/', 'http://gate.localhost.evil.com/', 'http://evil.localhost/', 'http://user@app.gate.localhost/', 'http:/app.gate.localhost/']) {
      expect(safeReturnUrl(bad, local)).toBeNull();
    }
  });

  it('falls back to the default for anything refused', () => {
    expect(returnUrlOrDefault('https://evil.com/', DOMAINS, 'https://home.example.com/')).toBe('https://home.example.com/');
    expect(returnUrlOrDefault('https://app.example.org/x', DOMAINS, 'https://home.example.com/')).toBe('https://app.example.org/x');
  });

  it('picks the most specific cookie domain for a host', () => {
    expect(cookieDomainFor('a.b.example.com', ['example.com', 'b.example.com'])).toBe('b.example.com');
    expect(cookieDomainFor('example.org', DOMAINS)).toBe('example.org');
    expect(cookieDomainFor('notexample.org', DOMAINS)).toBeNull();
  });

  describe('the open-redirect corpus (test/fixtures/openredirects.txt)', () => {
    const corpus = readFileSync(resolve(__dirname, '../../../../test/fixtures/openredirects.txt'), 'utf8');
    const lines = corpus.replace(/\n$/, '').split('\n');

    it('has all 559 lines', () => {
      expect(lines).toHaveLength(559);
    });

    it('refuses every line for cookie domain whitelisteddomain.tld', () => {
      const accepted = lines.filter((line) => safeReturnUrl(line, ['whitelisteddomain.tld']) !== null);
      expect(accepted).toEqual([]);
    });
  });
});
