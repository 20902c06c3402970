import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@gate/eventstore';
import type { FastifyReply } from 'fastify';
import { LoginError } from '../login/login-errors';
import { errorPage } from './pages';
import { send } from './outcome';

const TITLES: Record<number, string> = { 400: 'Sign-in failed', 403: 'Not allowed', 404: 'Not found', 429: 'Too many attempts', 503: 'Temporarily unavailable' };

/** What a failed browser request gets: a status, an HTML page with a stable code, and when to retry. */
interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  retryAfterSec?: number;
}

/**
 * Maps every error of the browser routes to a status and an HTML page, once, at the edge: a
 * LoginError with its own status (429 and 503 with `Retry-After`), PostgreSQL unreachable 503 with
 * `Retry-After`, anything else a 500 page without details. A browser never gets JSON from login.
 */
@Catch()
export class LoginErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Login');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message, retryAfterSec } = this.answerOf(error);
    const headers: Record<string, string> = retryAfterSec ? { 'retry-after': String(retryAfterSec) } : {};
    send(reply, { status, headers, html: errorPage(TITLES[status] ?? 'Error', message, code) });
  }

  private answerOf(error: unknown): ErrorAnswer {
    if (error instanceof LoginError) {
      this.log.warn(`${error.code}${error.provider ? ` (${error.provider})` : ''}: ${error.message}`);
      return { status: error.status, code: error.code, message: error.message, retryAfterSec: error.retryAfterSec };
    }
    if (isDatabaseUnavailable(error)) {
      this.log.warn(`${DATABASE_UNAVAILABLE}: ${(error as Error).message}`);
      const message = 'Signing in is not possible right now. Please try again in a few seconds.';
      return { status: 503, code: DATABASE_UNAVAILABLE, message, retryAfterSec: DATABASE_RETRY_AFTER_SECONDS };
    }
    if (error instanceof HttpException && error.getStatus() < 500) {
      return { status: error.getStatus(), code: `HTTP.${error.getStatus()}`, message: error.message };
    }
    this.log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { status: 500, code: 'LOGIN.INTERNAL', message: 'Something went wrong. Please start again.' };
  }
}
