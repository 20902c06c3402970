import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { CallerSessions } from '../use-cases/caller-sessions';
import { type Caller, CurrentCaller } from './caller';
import { CallerGuard } from './caller.guard';
import { HttpErrorFilter } from './http-error.filter';
import { JsonBodyGuard, SameOriginGuard } from './request-guards';

/**
 * The JSON API: `GET /api/sessions` (mine; admins `?all=true` or `?user=`), `DELETE
 * /api/sessions/:id` (mine, or anyone's for admins) and `POST /api/sessions/revoke-all`
 * `{ userId }` (myself, or anyone for admins). Errors are `{ error: { code, message } }`.
 */
@Controller('api/sessions')
@UseGuards(CallerGuard, SameOriginGuard, JsonBodyGuard)
@UseFilters(HttpErrorFilter)
export class SessionsApiController {
  constructor(private readonly sessions: CallerSessions) {}

  @Get()
  @Header('cache-control', 'no-store')
  async list(@CurrentCaller() caller: Caller, @Query('all') all?: string, @Query('user') user?: string) {
    return { sessions: (await this.sessions.list(caller, { all: all === 'true', user })).map((s) => ({ ...s, current: s.sessionId === caller.sessionId })) };
  }

  @Delete(':id')
  @Header('cache-control', 'no-store')
  revoke(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.sessions.revoke(caller, id);
  }

  @Post('revoke-all')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  revokeAll(@CurrentCaller() caller: Caller, @Body() body: { userId?: unknown } | undefined) {
    return this.sessions.revokeAll(caller, body?.userId);
  }
}
