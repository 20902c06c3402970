import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUS_USERS, NatsLink } from '@gate/messaging';
import { SECRET_FILES, writeFirstStartSecrets } from '@gate/secrets';
import { connect } from '@nats-io/transport-node';
import { TestNatsServer } from '../../support/nats-server';

// What compose runs: nats-server from deploy/nats/nats.conf with the users file that the first
// start writes, and each service connecting with the seed from its own folder of the secrets.
describe('the deployed bus: nats.conf with the first start secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deployed-secrets-'));
  let nats: TestNatsServer;

  beforeAll(async () => {
    writeFirstStartSecrets(dir, { hostPort: 'postgres:5432', user: 'gate', database: 'gate' });
    nats = await TestNatsServer.start({ usersConf: readFileSync(join(dir, SECRET_FILES.natsUsers), 'utf8') });
  });
  afterAll(async () => {
    await nats.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets every service in with its own seed, and nobody without one', async () => {
    for (const user of BUS_USERS) {
      const link = new NatsLink({ servers: nats.url, user, seed: readFileSync(join(dir, SECRET_FILES.nkey(user)), 'utf8') });
      await link.connection;
      expect(link.up).toBe(true);
      await link.close();
    }
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/Authorization Violation/i);
  });
});
