import { Inject, Injectable } from '@nestjs/common';
import { parseDuration } from '@gate/config';
import { hashApiToken, principalId, streamIdOf } from '@gate/events';
import { z } from 'zod';
import { CommandRunner } from '../command-runner';
import { DirectoryError } from '../directory-error';
import { displayName, pageOf, parseInput } from '../input';
import { DirectoryReadModel } from '../read-model/directory-read-model';
import { TokenReadModel } from '../read-model/token-read-model';
import type { Page, TokenView } from '../read-model/views';
import { apiTokenDecider } from './api-token.decider';
import { generateApiToken, newTokenId } from './token-secret';

/** Tokens live 90 days unless asked otherwise. */
const DEFAULT_LIFETIME_MS = 90 * 86_400_000;

const issueBody = z
  .object({
    principal: z.string().trim().toLowerCase().pipe(principalId),
    name: displayName,
    /** An absolute expiry, or `null` for a token that never expires. */
    expiresAt: z.string().datetime({ offset: true }).nullable().optional(),
    /** A lifetime such as `30d` or `12h`, instead of `expiresAt`. */
    expiresIn: z.string().optional(),
  })
  .strict();
const listQuery = z.object({ principal: z.string().optional() });

/** A token just issued: its view and, once only, the secret. */
export type IssuedToken = TokenView & { token: string };

/** API tokens: issue (the secret is returned once, only its hash is kept), revoke, list and read. */
@Injectable()
export class TokensService {
  constructor(
    @Inject(CommandRunner) private readonly commands: CommandRunner,
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
    @Inject(TokenReadModel) private readonly tokens: TokenReadModel,
  ) {}

  async issue(actor: string, body: unknown, now = new Date()): Promise<IssuedToken> {
    const input = parseInput(issueBody, body);
    const expiresAt = this.expiryOf(input, now);
    const principal = await this.read.principal(input.principal);
    if (!principal.exists) throw DirectoryError.invalid('DIRECTORY.UNKNOWN_PRINCIPAL', `no user or service account ${input.principal}`);
    const token = generateApiToken();
    const tokenId = newTokenId();
    await this.commands.run(
      streamIdOf('token', tokenId),
      apiTokenDecider,
      { type: 'IssueApiToken', tokenId, principal: input.principal, name: input.name, tokenHash: hashApiToken(token), expiresAt },
      actor,
      0,
    );
    return { ...(await this.get(tokenId)), token };
  }

  async revoke(actor: string, id: string): Promise<TokenView> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw DirectoryError.notFound('DIRECTORY.TOKEN_NOT_FOUND', `no token ${JSON.stringify(id)}`);
    await this.commands.run(streamIdOf('token', id), apiTokenDecider, { type: 'RevokeApiToken', tokenId: id }, actor);
    return this.get(id);
  }

  list(query: unknown): Promise<Page<TokenView>> {
    const { principal } = parseInput(listQuery, query);
    return this.tokens.listTokens({ principal: principal?.trim().toLowerCase() }, pageOf(query));
  }

  async get(id: string): Promise<TokenView> {
    const token = await this.tokens.getToken(id);
    if (!token) throw DirectoryError.notFound('DIRECTORY.TOKEN_NOT_FOUND', `no token ${id}`);
    return token;
  }

  private expiryOf(input: { expiresAt?: string | null; expiresIn?: string }, now: Date): string | null {
    if (input.expiresAt !== undefined && input.expiresIn !== undefined) {
      throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', 'give expiresAt or expiresIn, not both');
    }
    if (input.expiresAt === null) return null;
    let at: number;
    if (input.expiresIn !== undefined) {
      const ms = parseDuration(input.expiresIn);
      if (ms === undefined || ms === 0) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `expiresIn: expected a duration such as 30d or 12h, got ${JSON.stringify(input.expiresIn)}`);
      at = now.getTime() + ms;
    } else {
      at = input.expiresAt === undefined ? now.getTime() + DEFAULT_LIFETIME_MS : Date.parse(input.expiresAt);
    }
    if (at <= now.getTime()) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', 'expiresAt must be in the future');
    return new Date(at).toISOString();
  }
}
