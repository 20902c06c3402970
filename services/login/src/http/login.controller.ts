import { sessionCookieValues } from '@gate/session-token';
import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGIN_STATE_COOKIE } from '../cookies/cookies';
import { CompleteLogin } from '../login/complete-login';
import { StartLogin } from '../login/start-login';
import { Logout } from '../logout/logout';
import { LOGIN_RATE_LIMIT, type LoginRateLimit, LoginRateLimitGuard } from '../rate-limit/login-rate-limit.guard';
import { clientIpOf } from '../rate-limit/token-bucket';
import { LoginErrorFilter } from './login-error.filter';
import { send } from './outcome';

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const header = (req: FastifyRequest, name: string) => one(req.headers[name]);
const browserIdOf = (req: FastifyRequest) => sessionCookieValues(req.headers.cookie, LOGIN_STATE_COOKIE)[0];

/** The browser-facing routes of the auth host. Each hands the request to its use case. */
@Controller()
@UseFilters(LoginErrorFilter)
export class LoginController {
  constructor(
    private readonly startLogin: StartLogin,
    private readonly completeLogin: CompleteLogin,
    private readonly logout: Logout,
    @Inject(LOGIN_RATE_LIMIT) private readonly limit: LoginRateLimit,
  ) {}

  @Get('login')
  @UseGuards(LoginRateLimitGuard)
  async login(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const q = req.query as Query;
    send(reply, await this.startLogin.run({ provider: one(q.provider), returnUrl: one(q.rd), browserId: browserIdOf(req) }));
  }

  @Get('callback')
  @UseGuards(LoginRateLimitGuard)
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.completeLogin.run({
      rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
      state: one((req.query as Query).state),
      browserId: browserIdOf(req),
      clientIp: clientIpOf(req.headers['x-forwarded-for'], req.socket.remoteAddress, this.limit.trustProxy),
      userAgent: header(req, 'user-agent') ?? null,
    }));
  }

  @Get('logout')
  confirmLogout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    send(reply, this.logout.confirm(one((req.query as Query).rd)));
  }

  @Post('logout')
  async doLogout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.logout.run({
      sessionTokens: sessionCookieValues(req.headers.cookie, this.logout.cookieName),
      returnUrl: one((req.query as Query).rd),
      origin: header(req, 'origin'),
      secFetchSite: header(req, 'sec-fetch-site'),
    }));
  }
}
