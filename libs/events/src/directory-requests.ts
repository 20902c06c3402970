import { z } from 'zod';
import { principalId } from './fields';

/** Subjects (Nest message patterns) that the directory service answers. */
export const DIRECTORY_PATTERNS = {
  /** What the directory knows of a principal: enabled or not, and its directory groups. */
  principal: 'directory.principal',
} as const;

export const principalRequest = z.object({ principalId });
export type PrincipalReply = { exists: boolean; disabled: boolean; groups: string[] };

/** Fire-and-forget (`emit`), batched by verify: when API tokens were last used. */
export const DIRECTORY_TOKENS_USED = 'directory.tokens-used';
export const tokensUsedMessage = z.object({
  uses: z.array(z.object({ tokenId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), at: z.string().datetime({ offset: true }) })).max(10_000),
});
export type TokensUsedMessage = z.infer<typeof tokensUsedMessage>;
