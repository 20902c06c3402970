import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { IF_MATCH_HEADER, RuleBody, RuleModel } from '../http/api-models';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { IfMatch } from '../http/if-match.decorator';
import { RulesService } from './rules.service';

/** `/api/directory/rules`: the HTTP door to `RulesService`. Lists are in evaluation order. */
@DirectoryApiController('rules', 'rules')
export class RulesHttpController {
  constructor(@Inject(RulesService) private readonly rules: RulesService) {}

  @Get()
  @ApiQuery({ name: 'host', required: false, description: 'Only rules whose pattern covers this host' })
  @ApiQuery({ name: 'group', required: false })
  @ApiQuery({ name: 'user', required: false })
  list(@Query() query: Record<string, string>) {
    return this.rules.list(query);
  }

  @Post()
  @ApiBody({ type: RuleBody })
  @ApiCreatedResponse({ type: RuleModel })
  define(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    return this.rules.define(caller.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleModel })
  get(@Param('id') id: string) {
    return this.rules.get(id);
  }

  @Put(':id')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiBody({ type: RuleBody })
  @ApiOkResponse({ type: RuleModel })
  replace(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown, @IfMatch() ifMatch?: number) {
    return this.rules.replace(caller.id, id, body, ifMatch);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiHeader(IF_MATCH_HEADER)
  remove(@CurrentCaller() caller: Caller, @Param('id') id: string, @IfMatch() ifMatch?: number) {
    return this.rules.remove(caller.id, id, ifMatch);
  }
}
