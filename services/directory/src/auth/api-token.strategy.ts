import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { SERVICE_CONFIG } from '@gate/config';
import { hashApiToken } from '@gate/events';
import { Strategy } from 'passport-custom';
import type { DirectoryConfig } from '../config';
import { DirectoryReadModel } from '../read-model/directory-read-model';
import { TokenReadModel } from '../read-model/token-read-model';
import { sameHash } from '../tokens/token-secret';
import { BOOTSTRAP_PRINCIPAL, type Caller } from './caller';

/** The name under which the bearer-token strategy is registered with passport. */
export const API_TOKEN_STRATEGY = 'api-token';

/**
 * `Authorization: Bearer <token>`: the bootstrap admin token from config, or an API token looked
 * up by its hash in the read model. Unknown, revoked and expired tokens, and tokens of a principal
 * that no longer exists or is disabled, are refused (401). A use is recorded as last-used.
 */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  private readonly bootstrapHash: string | null;

  constructor(
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
    @Inject(TokenReadModel) private readonly tokens: TokenReadModel,
    @Inject(SERVICE_CONFIG) config: DirectoryConfig,
  ) {
    super();
    this.bootstrapHash = config.ADMIN_TOKEN ? hashApiToken(config.ADMIN_TOKEN.trim()) : null;
  }

  async validate(req: { headers: Record<string, string | string[] | undefined> }): Promise<Caller | null> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim()) : null;
    if (!match) return null;
    const hash = hashApiToken(match[1]);
    if (this.bootstrapHash !== null && sameHash(hash, this.bootstrapHash)) return { id: BOOTSTRAP_PRINCIPAL, via: 'bootstrap' };
    const token = await this.tokens.tokenByHash(hash);
    const now = new Date();
    if (!token || token.revokedAt !== null) return null;
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return null;
    const principal = await this.read.principal(token.principal);
    if (!principal.exists || principal.disabled) return null;
    await this.tokens.markTokensUsed([{ tokenId: token.id, at: now.toISOString() }]);
    return { id: token.principal, via: 'token', tokenId: token.id };
  }
}
