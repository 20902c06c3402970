import { postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import type { z } from 'zod';

/** The directory service's environment: the shared base plus its event store's database. */
export const directoryConfigSchema = serviceConfigSchema({ httpPort: 4182 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
});

/** The directory service's validated config, injectable as `SERVICE_CONFIG`. */
export type DirectoryConfig = z.output<typeof directoryConfigSchema>;
