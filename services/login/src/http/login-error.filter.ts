import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@gate/eventstore';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginError } from '../login/login-errors';
import { errorPage } from './pages';
import { send } from './outcome';

const TITLES: Record<number, string> = {
  400: 'Sign-in failed',
  403: 'Not allowed',
  404: 'Not found',
  429: 'Too many attempts',
  500: 'Something went wrong',
  502: 'Sign-in provider unavailable',
  503: 'Temporarily unavailable',
  504: 'Sign-in provider too slow',
};

/** True when the client asked for JSON and not for HTML (an API or fetch client, not a browser page). */
export function prefersJson(accept: string | undefined): boolean {
  return accept !== undefined && /\bapplication\/(?:[\w.+-]*\+)?json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

/** What a failed request gets: a status, a stable code, a message, when to retry and where to start again. */
interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  retryAfterSec?: number;
  startAgainPath?: string;
}

/**
 * Maps every error of login's routes to a status, once, at the edge: a LoginError with its own
 * status (429 and 503 with `Retry-After`), PostgreSQL unreachable 503 with `Retry-After`, anything
 * else a 500 without details. Browsers get an HTML page with a way to start again, clients that
 * ask for JSON `{ error, message }`.
 */
@Catch()
export class LoginErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Login');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { status, code, message, retryAfterSec, startAgainPath } = this.answerOf(error);
    const headers: Record<string, string> = retryAfterSec ? { 'retry-after': String(retryAfterSec) } : {};
    if (prefersJson(http.getRequest<FastifyRequest>().headers.accept)) {
      void reply.status(status).headers({ ...headers, 'cache-control': 'no-store' }).send({ error: code, message });
      return;
    }
    send(reply, { status, headers, html: errorPage(TITLES[status] ?? 'Error', message, code, startAgainPath) });
  }

  private answerOf(error: unknown): ErrorAnswer {
    if (error instanceof LoginError) {
      this.log.warn(`${error.code}${error.provider ? ` (${error.provider})` : ''}: ${error.message}`);
      return { status: error.status, code: error.code, message: error.message, retryAfterSec: error.retryAfterSec, startAgainPath: error.startAgainPath };
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
