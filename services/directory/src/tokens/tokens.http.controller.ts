import { Body, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { IssuedTokenModel, IssueTokenBody, TokenModel } from '../http/api-models';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { TokensService } from './tokens.service';

/** `/api/directory/tokens`: the HTTP door to `TokensService`. The secret is in the create response only. */
@DirectoryApiController('tokens', 'API tokens')
export class TokensHttpController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Get()
  @ApiQuery({ name: 'principal', required: false })
  list(@Query() query: Record<string, string>) {
    return this.tokens.list(query);
  }

  @Post()
  @ApiBody({ type: IssueTokenBody })
  @ApiCreatedResponse({ type: IssuedTokenModel })
  issue(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    return this.tokens.issue(caller.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: TokenModel })
  get(@Param('id') id: string) {
    return this.tokens.get(id);
  }

  @Delete(':id')
  @ApiOkResponse({ type: TokenModel, description: 'Revoked: refused from now on, everywhere' })
  revoke(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.tokens.revoke(caller.id, id);
  }
}
