import { randomBytes } from 'node:crypto';
import { parseKeyring } from '@gate/session-token';
import { checkCsrfToken, checkSameOrigin, csrfToken } from './csrf';

const k1 = `a:${randomBytes(32).toString('base64')}`;
const k2 = `b:${randomBytes(32).toString('base64')}`;

describe('CSRF protection', () => {
  const ring = parseKeyring(k1);

  it('accepts the token of the same subject, also after a key rotation', () => {
    const token = csrfToken(ring, 'session:s1');
    expect(() => checkCsrfToken(ring, 'session:s1', token)).not.toThrow();
    expect(() => checkCsrfToken(parseKeyring(`${k2},${k1}`), 'session:s1', token)).not.toThrow();
  });

  it('refuses a missing, malformed or foreign token, another subject\'s, or one of a key no longer in the ring', () => {
    const token = csrfToken(ring, 'session:s1');
    for (const bad of [undefined, '', 'x', ['a'], token.slice(1), csrfToken(ring, 'session:s2'), `${token}x`]) {
      expect(() => checkCsrfToken(ring, 'session:s1', bad)).toThrow(expect.objectContaining({ code: 'SESSIONS.CSRF' }));
    }
    expect(() => checkCsrfToken(parseKeyring(k2), 'session:s1', token)).toThrow(expect.objectContaining({ code: 'SESSIONS.CSRF' }));
  });

  it('checks Origin against Host and Sec-Fetch-Site', () => {
    const host = 'auth.example.com';
    expect(() => checkSameOrigin({ host })).not.toThrow();
    expect(() => checkSameOrigin({ host, origin: 'https://auth.example.com', 'sec-fetch-site': 'same-origin' })).not.toThrow();
    expect(() => checkSameOrigin({ host: 'auth.example.com:8443', origin: 'https://AUTH.example.com:8443' })).not.toThrow();
    // A browser that sends Sec-Fetch-Site is believed over an Origin of "null" (a no-referrer page).
    expect(() => checkSameOrigin({ host, origin: 'null', 'sec-fetch-site': 'same-origin' })).not.toThrow();
    for (const headers of [
      { host, origin: 'https://evil.example' },
      { host, origin: 'null' },
      { host, origin: 'not a url' },
      { host, origin: 'https://auth.example.com.evil.net' },
      { host, 'sec-fetch-site': 'cross-site' },
      { host, 'sec-fetch-site': 'same-site' },
      { host, origin: 'https://auth.example.com', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://auth.example.com' },
    ]) {
      expect(() => checkSameOrigin(headers)).toThrow(expect.objectContaining({ code: 'SESSIONS.CSRF' }));
    }
  });
});
