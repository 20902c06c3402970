import { Body, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { ErrorBody, IF_MATCH_HEADER, RegisterUserBody, UpdateUserBody, UserModel } from '../http/api-models';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { IfMatch } from '../http/if-match.decorator';
import { UsersService } from './users.service';

/** `/api/directory/users`: the HTTP door to `UsersService`. */
@DirectoryApiController('users', 'users')
export class UsersHttpController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiQuery({ name: 'q', required: false, description: 'Substring of id or name' })
  @ApiQuery({ name: 'group', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  list(@Query() query: Record<string, string>) {
    return this.users.list(query);
  }

  @Post()
  @ApiBody({ type: RegisterUserBody })
  @ApiCreatedResponse({ type: UserModel })
  @ApiConflictResponse({ type: ErrorBody })
  register(@CurrentCaller() caller: Caller, @Body() body: unknown) {
    return this.users.register(caller.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserModel })
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiBody({ type: UpdateUserBody })
  @ApiOkResponse({ type: UserModel })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown, @IfMatch() ifMatch?: number) {
    return this.users.update(caller.id, id, body, ifMatch);
  }
}
