import { createHash } from 'node:crypto';

/**
 * The `tokenHash` of `ApiTokenIssued`: base64url(sha256(the whole token string)). The directory
 * stores it when it issues a token and verify looks bearer tokens up by it, so both call this.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
