import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { AddMemberBody, CreateGroupBody, GroupModel, IF_MATCH_HEADER, RenameGroupBody } from '../http/api-models';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { IfMatch } from '../http/if-match.decorator';
import { GroupsService } from './groups.service';

/** `/api/directory/groups` and their members: the HTTP door to `GroupsService`. */
@DirectoryApiController('groups', 'groups')
export class GroupsHttpController {
  constructor(@Inject(GroupsService) private readonly groups: GroupsService) {}

  @Get()
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'member', required: false, description: 'Only groups with this member' })
  list(@Query() query: Record<string, string>) {
    return this.groups.list(query);
  }

  @Post()
  @ApiBody({ type: CreateGroupBody })
  @ApiCreatedResponse({ type: GroupModel })
  create(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    return this.groups.create(caller.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: GroupModel })
  get(@Param('id') id: string) {
    return this.groups.get(id);
  }

  @Patch(':id')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiBody({ type: RenameGroupBody })
  @ApiOkResponse({ type: GroupModel })
  rename(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown, @IfMatch() ifMatch?: number) {
    return this.groups.rename(caller.id, id, body, ifMatch);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiHeader(IF_MATCH_HEADER)
  delete(@CurrentCaller() caller: Caller, @Param('id') id: string, @IfMatch() ifMatch?: number) {
    return this.groups.delete(caller.id, id, ifMatch);
  }

  @Get(':id/members')
  @ApiOkResponse({ type: GroupModel })
  members(@Param('id') id: string) {
    return this.groups.get(id);
  }

  @Post(':id/members')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiBody({ type: AddMemberBody })
  @ApiCreatedResponse({ type: GroupModel })
  addMembers(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown, @IfMatch() ifMatch?: number) {
    return this.groups.addMembers(caller.id, id, body, ifMatch);
  }

  @Delete(':id/members/:member')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: GroupModel })
  removeMember(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('member') member: string, @IfMatch() ifMatch?: number) {
    return this.groups.removeMember(caller.id, id, member, ifMatch);
  }
}
