import { AssertionSigner, AssertionVerifier, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { ASSERTIONS_PER_IDENTITY, assertionEvictions, identityOf } from '../state/identity';
import { AssertionIssuer } from './assertion-issuer';

describe('signing the identity assertion', () => {
  const signer = new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('k1')])), 'https://auth.example.com');
  const issuer = new AssertionIssuer(signer);
  const now = Math.floor(Date.now() / 1000);

  it('signs one that the JWKS verifies, for the request host, with the identity and sorted groups', async () => {
    const identity = identityOf('ann@example.com', 'ann@example.com', 'Ann', ['ops', 'dev'], false);
    const token = issuer.assertionFor(identity, 'app.example.com', now);
    const verifier = new AssertionVerifier({ issuer: 'https://auth.example.com', jwks: issuer.jwks() as never });
    const claims = await verifier.verify(token, 'app.example.com');
    expect(claims).toMatchObject({ sub: 'ann@example.com', email: 'ann@example.com', name: 'Ann', groups: ['dev', 'ops'] });
    await expect(verifier.verify(token, 'other.example.com')).rejects.toThrow();
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(60);
  });

  it('reuses it while more than half its life is left, then signs a new one', () => {
    const identity = identityOf('bob@example.com', 'bob@example.com', 'Bob', [], false);
    const first = issuer.assertionFor(identity, 'app.example.com', now);
    expect(issuer.assertionFor(identity, 'app.example.com', now + 29)).toBe(first);
    expect(issuer.assertionFor(identity, 'other.example.com', now + 1)).not.toBe(first);
    expect(issuer.assertionFor(identity, 'app.example.com', now + 30)).not.toBe(first);
  });

  it('tells whether an identity still holds an assertion it would hand out', () => {
    const identity = identityOf('cy@example.com', 'cy@example.com', 'Cy', [], false);
    expect(issuer.holdsLive(identity, now)).toBe(false);
    issuer.assertionFor(identity, 'app.example.com', now);
    issuer.assertionFor(identity, 'other.example.com', now + 20);
    expect([now + 29, now + 30, now + 49, now + 50].map((at) => issuer.holdsLive(identity, at))).toEqual([true, true, true, false]);
  });

  it('keeps the assertions of at most 64 audiences per identity, dropping the oldest and counting it', () => {
    const identity = identityOf('dee@example.com', 'dee@example.com', 'Dee', [], false);
    const evicted = assertionEvictions.count;
    const first = issuer.assertionFor(identity, 'app0.example.com', now);
    const second = issuer.assertionFor(identity, 'app1.example.com', now);
    for (let i = 2; i <= ASSERTIONS_PER_IDENTITY; i++) issuer.assertionFor(identity, `app${i}.example.com`, now);
    expect([identity.assertions.size, assertionEvictions.count - evicted]).toEqual([64, 1]);
    expect(issuer.assertionFor(identity, 'app1.example.com', now + 1)).toBe(second);
    expect(issuer.assertionFor(identity, 'app0.example.com', now + 1)).not.toBe(first);
  });
});
