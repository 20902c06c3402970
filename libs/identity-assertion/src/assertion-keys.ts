import { createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';

/** The signature algorithms an assertion may use. */
export type AssertionAlg = 'EdDSA' | 'ES256';

/** One signing key: its id, algorithm, the private key and the public JWK that is published. */
export interface AssertionKey {
  kid: string;
  alg: AssertionAlg;
  privateKey: KeyObject;
  publicJwk: JsonWebKey & { kid: string; alg: AssertionAlg; use: 'sig' };
}

/**
 * Reads the signing keys from a JSON array of private JWKs (Ed25519 `OKP` or P-256 `EC`), each
 * with a `kid`. The first key signs; every key is published in the JWKS, so a new key is put first
 * and the old one removed a few minutes later (longer than an assertion lives).
 */
export function loadAssertionKeys(json: string): AssertionKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('assertion keys: not JSON (expected an array of private JWKs)');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown[] })?.keys;
  if (!Array.isArray(list) || list.length === 0) throw new Error('assertion keys: expected a non-empty array of private JWKs');
  const keys = list.map((jwk, i) => toKey(jwk as JsonWebKey & { kid?: string }, i));
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('assertion keys: duplicate kid');
  return keys;
}

/** Makes a new Ed25519 private JWK with `kid`, for `ASSERTION_KEYS_FILE` or tests. */
export function generateAssertionKey(kid: string): JsonWebKey & { kid: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' } as JsonWebKey & { kid: string };
}

function toKey(jwk: JsonWebKey & { kid?: string }, index: number): AssertionKey {
  const kid = jwk?.kid;
  if (typeof kid !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(kid)) throw new Error(`assertion key ${index}: missing or bad kid`);
  if (!jwk.d) throw new Error(`assertion key ${kid}: a private key is needed (no "d")`);
  const alg: AssertionAlg | null = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : null;
  if (!alg) throw new Error(`assertion key ${kid}: only Ed25519 (OKP) and P-256 (EC) keys are supported`);
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const pub = createPublicKey(privateKey).export({ format: 'jwk' });
  return { kid, alg, privateKey, publicJwk: { ...pub, kid, alg, use: 'sig' } };
}
