// First-start secrets for the compose stack: writes each missing file into the secrets directory
// (argument 1, default /secrets) and never overwrites one that exists, so a restart keeps the
// keys and a key you put there yourself wins. Run as the `secrets` one-shot service.
//   session_keys      kid:base64key (login signs session cookies; verify and sessions check them)
//   assertion_keys    a JSON array with one Ed25519 private JWK (verify signs identity assertions)
//   admin_token       a bootstrap admin API token for the directory (gatectl --token-file)
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '/secrets';
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');

const secrets = {
  session_keys: () => `k${stamp}:${randomBytes(32).toString('base64')}\n`,
  assertion_keys: () => {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    return JSON.stringify([{ ...jwk, kid: `a${stamp}`, alg: 'EdDSA', use: 'sig' }]) + '\n';
  },
  admin_token: () => `gat_${randomBytes(32).toString('base64url')}\n`,
};

for (const [name, make] of Object.entries(secrets)) {
  const file = join(dir, name);
  if (existsSync(file)) {
    console.log(`kept ${file}`);
    continue;
  }
  writeFileSync(file, make(), { mode: 0o640 });
  console.log(`wrote ${file}`);
}
