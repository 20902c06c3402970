import { z } from 'zod';
import { principalId } from './fields';

/** Subjects (Nest message patterns) that the directory service answers. */
export const DIRECTORY_PATTERNS = {
  /** What the directory knows of a principal: enabled or not, and its directory groups. */
  principal: 'directory.principal',
} as const;

export const principalRequest = z.object({ principalId });
export type PrincipalReply = { exists: boolean; disabled: boolean; groups: string[] };
