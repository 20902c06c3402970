import { Body, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { CreateServiceAccountBody, IF_MATCH_HEADER, ServiceAccountModel } from '../http/api-models';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { IfMatch } from '../http/if-match.decorator';
import { ServiceAccountsService } from './service-accounts.service';

/** `/api/directory/service-accounts`: the HTTP door to `ServiceAccountsService`. */
@DirectoryApiController('service-accounts', 'service accounts')
export class ServiceAccountsHttpController {
  constructor(@Inject(ServiceAccountsService) private readonly accounts: ServiceAccountsService) {}

  @Get()
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'group', required: false })
  list(@Query() query: Record<string, string>) {
    return this.accounts.list(query);
  }

  @Post()
  @ApiBody({ type: CreateServiceAccountBody })
  @ApiCreatedResponse({ type: ServiceAccountModel })
  create(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    return this.accounts.create(caller.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: ServiceAccountModel })
  get(@Param('id') id: string) {
    return this.accounts.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiHeader(IF_MATCH_HEADER)
  delete(@CurrentCaller() caller: Caller, @Param('id') id: string, @IfMatch() ifMatch?: number) {
    return this.accounts.delete(caller.id, id, ifMatch);
  }
}
