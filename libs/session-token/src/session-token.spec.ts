import { randomBytes } from 'node:crypto';
import { parseKeyring } from './keyring';
import { issueSessionToken, sessionIdOf, verifySessionToken } from './session-token';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('session tokens', () => {
  const ring = parseKeyring(`a:${k1}`);

  it('verifies a token it issued and yields the public id, not the secret', () => {
    const { token, sessionId } = issueSessionToken(ring);
    expect(verifySessionToken(ring, token)).toBe(sessionId);
    expect(sessionId).toBe(sessionIdOf(token.split('.')[1]));
    expect(token).not.toContain(sessionId);
  });

  it('issues a new random id every time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => issueSessionToken(ring).sessionId));
    expect(ids.size).toBe(100);
  });

  it('refuses tampered, foreign, truncated and garbage tokens without throwing', () => {
    const { token } = issueSessionToken(ring);
    const [kid, secret, sig] = token.split('.');
    const other = parseKeyring(`a:${k2}`);
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const bad of [
      `${kid}.${flip(secret)}.${sig}`,
      `${kid}.${secret}.${flip(sig)}`,
      `b.${secret}.${sig}`,
      `${kid}.${secret}`,
      `${token}.x`,
      '',
      'x'.repeat(8192),
      '\u0000\uffff..',
      undefined,
      null,
    ]) {
      expect(verifySessionToken(ring, bad as string)).toBeNull();
    }
    expect(verifySessionToken(other, token)).toBeNull();
  });

  it('rotates: tokens of an older key still verify while it is in the ring, new ones use the first key', () => {
    const old = parseKeyring(`a:${k1}`);
    const { token, sessionId } = issueSessionToken(old);
    const rotated = parseKeyring(`b:${k2},a:${k1}`);
    expect(verifySessionToken(rotated, token)).toBe(sessionId);
    expect(issueSessionToken(rotated).token.startsWith('b.')).toBe(true);
    expect(verifySessionToken(parseKeyring(`b:${k2}`), token)).toBeNull();
  });

  it('refuses weak or malformed key specs', () => {
    expect(() => parseKeyring('')).toThrow(/no session key/);
    expect(() => parseKeyring(`a:${randomBytes(8).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseKeyring(`:${k1}`)).toThrow(/kid:base64key/);
    expect(() => parseKeyring(`a:${k1},a:${k2}`)).toThrow(/duplicate/);
  });
});
