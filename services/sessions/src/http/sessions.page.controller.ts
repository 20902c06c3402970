import { applyDecorators, Body, Controller, Get, Header, HttpCode, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { type Caller, CurrentCaller } from './caller';
import { CallerGuard } from './caller.guard';
import { HttpErrorFilter } from './http-error.filter';
import { CsrfTokenGuard, SameOriginGuard } from './request-guards';
import { PAGE_HEADERS } from './session-page';
import { SessionPage } from './session-page.service';

/** The page's headers (no-store, CSP, …) on a route. */
const PageHeaders = () => applyDecorators(...Object.entries(PAGE_HEADERS).map(([name, value]) => Header(name, value)));
/** A form post's answer: 303 back to the page. */
const BackToPage = () => applyDecorators(HttpCode(303), Header('location', '/sessions'), Header('cache-control', 'no-store'), UseGuards(SameOriginGuard, CsrfTokenGuard));

/**
 * The session page at the auth host: `GET /sessions` renders it; its forms post to
 * `POST /sessions/:id/revoke` and `POST /sessions/revoke-all` (same origin and CSRF token
 * checked) and are answered with 303 back to the page. Nothing changes on a GET.
 */
@Controller('sessions')
@UseGuards(CallerGuard)
@UseFilters(HttpErrorFilter)
export class SessionsPageController {
  constructor(private readonly page: SessionPage) {}

  @Get()
  @PageHeaders()
  show(@CurrentCaller() caller: Caller) {
    return this.page.render(caller);
  }

  @Post(':id/revoke')
  @BackToPage()
  revoke(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.page.revoke(caller, id);
  }

  @Post('revoke-all')
  @BackToPage()
  revokeAll(@CurrentCaller() caller: Caller, @Body() body: { userId?: unknown } | undefined) {
    return this.page.revokeAll(caller, body?.userId ?? caller.principalId);
  }
}
