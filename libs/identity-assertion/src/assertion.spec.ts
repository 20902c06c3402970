import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { generateAssertionKey, loadAssertionKeys } from './assertion-keys';
import { AssertionSigner } from './assertion-signer';
import { AssertionVerifier, InvalidAssertionError } from './assertion-verifier';
import { AssertionStrategy } from './assertion.strategy';

const ISS = 'https://auth.example.com';
const alice = { sub: 'alice@example.com', email: 'alice@example.com', name: 'Alice', groups: ['admins', 'wiki'] };
const now = () => Math.floor(Date.now() / 1000);

function ecKey(kid: string) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid };
}

describe('identity assertions', () => {
  const keys = loadAssertionKeys(JSON.stringify([generateAssertionKey('k2'), ecKey('k1')]));
  const signer = new AssertionSigner(keys, ISS);
  const verifier = new AssertionVerifier({ issuer: ISS, jwks: signer.jwks() });

  it('given a signed assertion, the verifier returns its claims for the right audience', async () => {
    const token = signer.sign(alice, 'wiki.example.com');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: 'k2', typ: 'JWT' });
    await expect(verifier.verify(token, 'wiki.example.com')).resolves.toEqual(alice);
  });

  it('publishes only public keys, all of them, signing key first', () => {
    const { keys: published } = signer.jwks();
    expect(published.map((k) => k.kid)).toEqual(['k2', 'k1']);
    for (const k of published) expect(k).not.toHaveProperty('d');
  });

  it('refuses another audience, another issuer, an expired token and a tampered one', async () => {
    const token = signer.sign(alice, 'wiki.example.com');
    await expect(verifier.verify(token, 'admin.example.com')).rejects.toBeInstanceOf(InvalidAssertionError);
    await expect(new AssertionVerifier({ issuer: 'https://evil.example', jwks: signer.jwks() }).verify(token, 'wiki.example.com')).rejects.toThrow(/invalid assertion/);
    const expired = signer.sign(alice, 'wiki.example.com', now() - 120, 60);
    await expect(verifier.verify(expired, 'wiki.example.com')).rejects.toThrow(/exp/);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...alice, groups: ['admins', 'root'], iss: ISS, aud: 'wiki.example.com', iat: now(), exp: now() + 60 })).toString('base64url');
    await expect(verifier.verify(`${h}.${forged}.${s}`, 'wiki.example.com')).rejects.toBeInstanceOf(InvalidAssertionError);
    await expect(verifier.verify(`${h}.${p}.`, 'wiki.example.com')).rejects.toBeInstanceOf(InvalidAssertionError);
  });

  it('refuses a token signed by a key that is not in the JWKS', async () => {
    const other = new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('k2')])), ISS);
    await expect(verifier.verify(other.sign(alice, 'a.example.com'), 'a.example.com')).rejects.toBeInstanceOf(InvalidAssertionError);
  });

  it('signs with ES256 when a P-256 key comes first (rotation keeps old tokens valid)', async () => {
    const rotated = new AssertionSigner(loadAssertionKeys(JSON.stringify([ecKey('k3'), generateAssertionKey('k2')])), ISS);
    const token = rotated.sign(alice, 'a.example.com');
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
    const v = new AssertionVerifier({ issuer: ISS, jwks: { keys: [...rotated.jwks().keys] } });
    await expect(v.verify(token, 'a.example.com')).resolves.toMatchObject({ sub: alice.sub });
  });

  it('refuses bad key files with a clear message', () => {
    expect(() => loadAssertionKeys('nope')).toThrow(/not JSON/);
    expect(() => loadAssertionKeys('[]')).toThrow(/non-empty/);
    const { d: _d, ...publicOnly } = generateAssertionKey('x');
    expect(() => loadAssertionKeys(JSON.stringify([publicOnly]))).toThrow(/private key/);
    expect(() => loadAssertionKeys(JSON.stringify([generateAssertionKey('a'), generateAssertionKey('a')]))).toThrow(/duplicate/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    expect(() => loadAssertionKeys(JSON.stringify([{ ...rsa, kid: 'r' }]))).toThrow(/only Ed25519/);
  });

  it('the passport strategy accepts a valid header and nothing else', async () => {
    const strategy = new AssertionStrategy({ verifier, audiences: ['auth.example.com'] });
    const ok = signer.sign(alice, 'auth.example.com');
    await expect(strategy.validate({ headers: { 'x-forwarded-user-assertion': ok } })).resolves.toMatchObject({ sub: alice.sub, via: 'assertion' });
    await expect(strategy.validate({ headers: { 'x-forwarded-user-assertion': signer.sign(alice, 'other.example.com') } })).resolves.toBe(false);
    await expect(strategy.validate({ headers: { 'x-forwarded-user': 'alice@example.com' } })).resolves.toBe(false);
    await expect(new AssertionStrategy(null).validate({ headers: { 'x-forwarded-user-assertion': ok } })).resolves.toBe(false);
  });
});
