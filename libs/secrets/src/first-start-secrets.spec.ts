import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAssertionKeys } from '@gate/identity-assertion';
import { BUS_USERS, publicKeyOf } from '@gate/messaging';
import { parseKeyring } from '@gate/session-token';
import { SECRET_FILES, writeFirstStartSecrets } from './first-start-secrets';

const DATABASE = { hostPort: 'postgres:5432', user: 'gate', database: 'gate' };

describe('the secrets a deployment writes at its first start', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');

  it('writes every secret, usable as the services read it, only its owner may read the private ones', () => {
    writeFirstStartSecrets(dir, DATABASE);
    expect(parseKeyring(read(SECRET_FILES.sessionKeys).trim()).current.key).toHaveLength(32);
    expect(loadAssertionKeys(read(SECRET_FILES.assertionKeys))[0].alg).toBe('EdDSA');
    expect(read(SECRET_FILES.adminToken)).toMatch(/^gat_[A-Za-z0-9_-]{43}\n$/);
    const password = read(SECRET_FILES.databasePassword).trim();
    expect(read(SECRET_FILES.databaseUrl).trim()).toBe(`postgres://gate:${password}@postgres:5432/gate`);
    for (const user of BUS_USERS) {
      const seed = read(SECRET_FILES.nkey(user));
      expect(seed).toMatch(/^SU[A-Z2-7]{56}\n$/);
      expect(statSync(join(dir, SECRET_FILES.nkey(user))).mode & 0o077).toBe(0);
      // The server learns the public key, never the seed.
      expect(read(SECRET_FILES.natsUsers)).toContain(`nkey: ${publicKeyOf(seed)}`);
      expect(read(SECRET_FILES.natsUsers)).not.toContain(seed.trim());
    }
    expect(statSync(join(dir, SECRET_FILES.sessionKeys)).mode & 0o077).toBe(0);
  });

  it('keeps what exists, and writes the NATS users anew from the seeds', () => {
    writeFirstStartSecrets(dir, DATABASE);
    const before = Object.fromEntries([SECRET_FILES.sessionKeys, SECRET_FILES.assertionKeys, SECRET_FILES.adminToken, SECRET_FILES.databaseUrl, SECRET_FILES.nkey('verify')].map((f) => [f, read(f)]));
    writeFileSync(join(dir, SECRET_FILES.natsUsers), 'stale');
    expect(writeFirstStartSecrets(dir, DATABASE)).toContain(`kept ${SECRET_FILES.sessionKeys}`);
    for (const [file, content] of Object.entries(before)) expect(read(file)).toBe(content);
    expect(read(SECRET_FILES.natsUsers)).toContain(publicKeyOf(before[SECRET_FILES.nkey('verify')]));
  });

  it("takes over an existing installation: its database password, and the first layout's files", () => {
    writeFileSync(join(dir, 'session_keys'), 'k1:old\n');
    writeFileSync(join(dir, 'admin_token'), 'gat_old\n');
    writeFirstStartSecrets(dir, { ...DATABASE, password: 'p@ss/word' });
    expect([read(SECRET_FILES.sessionKeys), read(SECRET_FILES.adminToken)]).toEqual(['k1:old\n', 'gat_old\n']);
    expect(read(SECRET_FILES.databaseUrl).trim()).toBe('postgres://gate:p%40ss%2Fword@postgres:5432/gate');
  });
});
