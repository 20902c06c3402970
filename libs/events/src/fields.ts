import { z } from 'zod';

/** A canonical user id: the lower-cased e-mail address. */
export const userId = z.string().email().refine((s) => s === s.toLowerCase(), 'must be lower-case');
/** A principal: a user id (e-mail) or a service account id (`svc:<name>`). */
export const principalId = z.union([userId, z.string().regex(/^svc:[a-z0-9][a-z0-9-]{0,62}$/)]);
/** An ISO-8601 timestamp with offset. */
export const isoTime = z.string().datetime({ offset: true });
/** A short id: uuid or other opaque token of safe characters. */
export const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
