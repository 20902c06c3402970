import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LoginError } from '../login/login-errors';
import { clientIpOf, TokenBuckets } from './token-bucket';

/** The login endpoints' buckets and whether X-Forwarded-For is believed. */
export const LOGIN_RATE_LIMIT = Symbol('LOGIN_RATE_LIMIT');
export interface LoginRateLimit {
  buckets: TokenBuckets;
  trustProxy: boolean;
}

/** Limits `/login` and `/callback` per client IP (RATE_LIMIT_LOGIN); over the limit: 429 + Retry-After. */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(@Inject(LOGIN_RATE_LIMIT) private readonly limit: LoginRateLimit) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const ip = clientIpOf(req.headers['x-forwarded-for'], req.socket.remoteAddress, this.limit.trustProxy) ?? 'unknown';
    const taken = this.limit.buckets.take(ip, Date.now());
    if (taken.allowed) return true;
    throw new LoginError('RATE_LIMITED', 'Too many sign-in attempts from your address. Please wait a moment.', null, Math.ceil(taken.retryAfterMs / 1000));
  }
}
