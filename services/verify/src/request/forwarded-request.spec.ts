import { originalUrlOf, parseForwardedRequest } from './forwarded-request';

const good = { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'App.Example.com:8443', 'x-forwarded-uri': '/a/../b?x=1' };
const reasonOf = (overrides: Record<string, string | undefined>) => {
  const parsed = parseForwardedRequest({ ...good, ...overrides });
  return parsed.ok ? 'ok' : parsed.reason;
};

describe('reading the forwarded request', () => {
  it('reads method, proto, host and URI, normalising host and path for matching', () => {
    const parsed = parseForwardedRequest(good);
    expect(parsed).toEqual({ ok: true, request: { method: 'GET', proto: 'https', rawHost: 'App.Example.com:8443', host: 'app.example.com', uri: '/a/../b?x=1', path: '/b' } });
  });

  it('builds the original URL from proto, host as forwarded and URI', () => {
    const parsed = parseForwardedRequest(good);
    expect(parsed.ok && originalUrlOf(parsed.request)).toBe('https://App.Example.com:8443/a/../b?x=1');
    const ws = parseForwardedRequest({ ...good, 'x-forwarded-proto': 'wss' });
    expect(ws.ok && originalUrlOf(ws.request)).toBe('https://App.Example.com:8443/a/../b?x=1');
  });

  it.each([
    ['x-forwarded-method', undefined, 'missing-method'],
    ['x-forwarded-method', '', 'missing-method'],
    ['x-forwarded-proto', undefined, 'missing-proto'],
    ['x-forwarded-host', '', 'missing-host'],
    ['x-forwarded-uri', undefined, 'missing-uri'],
    ['x-forwarded-method', 'GET, POST', 'repeated-header'],
    ['x-forwarded-proto', 'https, http', 'repeated-header'],
    ['x-forwarded-host', 'a.example.com, b.example.com', 'repeated-header'],
    ['x-forwarded-uri', '/a, /b', 'repeated-header'],
    ['x-forwarded-method', 'GETz', 'invalid-method'],
    ['x-forwarded-method', 'post', 'invalid-method'],
    ['x-forwarded-method', 'A'.repeat(21), 'invalid-method'],
    ['x-forwarded-proto', 'ftp', 'invalid-proto'],
    ['x-forwarded-proto', 'HTTPS', 'invalid-proto'],
    ['x-forwarded-host', 'app\u0000.example.com', 'invalid-host'],
    ['x-forwarded-host', 'app example.com', 'invalid-host'],
    ['x-forwarded-host', 'user@app.example.com', 'invalid-host'],
    ['x-forwarded-host', 'app.example.com/x', 'invalid-host'],
    ['x-forwarded-uri', 'admin', 'invalid-uri:not-absolute'],
    ['x-forwarded-uri', 'https://app.example.com/', 'invalid-uri:not-absolute'],
    ['x-forwarded-uri', '/a%2Fb', 'invalid-uri:encoded-slash'],
    ['x-forwarded-uri', '/a%5cb', 'invalid-uri:backslash'],
    ['x-forwarded-uri', '/a\\b', 'invalid-uri:backslash'],
    ['x-forwarded-uri', '/a%00b', 'invalid-uri:nul'],
    ['x-forwarded-uri', '/a\u0000b', 'invalid-uri:nul'],
    ['x-forwarded-uri', '/public/..;/admin', 'invalid-uri:dot-segment-parameters'],
    ['x-forwarded-uri', '/public#/../admin', 'invalid-uri:fragment'],
    ['x-forwarded-uri', '/public#', 'invalid-uri:fragment'],
    ['x-forwarded-uri', '/.;/admin', 'invalid-uri:dot-segment-parameters'],
  ])('refuses %s = %j as %s', (header, value, reason) => {
    expect(reasonOf({ [header]: value })).toBe(reason);
  });

  it('decodes %23 into the path like any escape: a part of its segment, never a fragment', () => {
    const pathOf = (uri: string) => {
      const parsed = parseForwardedRequest({ ...good, 'x-forwarded-uri': uri });
      return parsed.ok ? parsed.request.path : parsed.reason;
    };
    expect([pathOf('/public%23x'), pathOf('/public/%23/../../admin'), pathOf('/public?q#/../admin')]).toEqual(['/public#x', '/admin', '/public']);
  });

  it('accepts every proto Traefik sends, including WebSocket upgrades', () => {
    for (const proto of ['http', 'https', 'ws', 'wss']) expect(reasonOf({ 'x-forwarded-proto': proto })).toBe('ok');
  });

  it('never reads Forwarded, X-Forwarded-Prefix, X-Original-* or underscore and dot spellings', () => {
    const headers = { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', forwarded: 'host=evil.example.com', 'x-forwarded-prefix': '/admin', 'x-original-uri': '/admin', x_forwarded_host: 'evil.example.com', 'x.forwarded.uri': '/admin' };
    expect(parseForwardedRequest(headers)).toEqual({ ok: false, reason: 'missing-host' });
    const withHost = parseForwardedRequest({ ...headers, 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/public' });
    expect(withHost.ok && [withHost.request.host, withHost.request.path]).toEqual(['app.example.com', '/public']);
  });
});
