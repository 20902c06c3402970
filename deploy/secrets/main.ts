import { writeFirstStartSecrets } from '@gate/secrets';

// The compose stack's one-shot `secrets` service: writes what is missing into the secrets volume
// (argument 1, default /secrets) and the NATS users file from the seeds. POSTGRES_PASSWORD, when
// set, is the password of an existing installation's database: it is kept, not replaced.
const dir = process.argv[2] ?? '/secrets';
const lines = writeFirstStartSecrets(dir, {
  hostPort: process.env.DATABASE_HOST_PORT ?? 'postgres:5432',
  user: 'gate',
  database: 'gate',
  password: process.env.POSTGRES_PASSWORD || undefined,
});
for (const line of lines) console.log(line);
