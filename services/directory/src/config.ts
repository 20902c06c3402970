import { listField, postgresUrlField, schemaNameField, secretField, serviceConfigSchema } from '@gate/config';
import { assertionConfigFields } from '@gate/identity-assertion';
import { z } from 'zod';

/**
 * The directory service's environment: the shared base, its event store's database, the admins
 * seeded at boot, the bootstrap admin token (give it as `ADMIN_TOKEN_FILE`, a Docker secret), and
 * optionally the identity assertions that verify signs (a second way into the admin API).
 */
export const directoryConfigSchema = serviceConfigSchema({ httpPort: 4182 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
  /** E-mail addresses put into the `admins` group at boot (idempotently). */
  ADMIN_EMAILS: listField()
    .pipe(z.array(z.string().email('expected a comma-separated list of e-mail addresses')))
    .default([]),
  /** A token accepted as the admin principal `svc:bootstrap`; never stored. */
  ADMIN_TOKEN: secretField(32).optional(),
  /** ASSERTION_ISSUER, ASSERTION_JWKS_URL, ASSERTION_AUDIENCE (hosts the admin API is reached at): all or none. */
  ...assertionConfigFields,
});

/** The directory service's validated config, injectable as `SERVICE_CONFIG`. */
export type DirectoryConfig = z.output<typeof directoryConfigSchema>;
