import { postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import type { z } from 'zod';

/** The login service's environment: the shared base plus its event store's database. */
export const loginConfigSchema = serviceConfigSchema({ httpPort: 4181 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
});

/** The login service's validated config, injectable as `SERVICE_CONFIG`. */
export type LoginConfig = z.output<typeof loginConfigSchema>;
