import { serviceConfigSchema } from '@gate/config';
import type { z } from 'zod';

/** The verify service's environment: the shared base only (verify keeps no database). */
export const verifyConfigSchema = serviceConfigSchema({ httpPort: 4180 });

/** The verify service's validated config, injectable as `SERVICE_CONFIG`. */
export type VerifyConfig = z.output<typeof verifyConfigSchema>;
