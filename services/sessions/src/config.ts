import { postgresUrlField, schemaNameField, serviceConfigSchema } from '@gate/config';
import type { z } from 'zod';

/** The sessions service's environment: the shared base plus its event store's database. */
export const sessionsConfigSchema = serviceConfigSchema({ httpPort: 4183 }).extend({
  DATABASE_URL: postgresUrlField(),
  DATABASE_SCHEMA: schemaNameField().optional(),
});

/** The sessions service's validated config, injectable as `SERVICE_CONFIG`. */
export type SessionsConfig = z.output<typeof sessionsConfigSchema>;
