import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@gate/eventstore';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionsError, SessionsErrorCode } from '../session/session-error';
import { PAGE_HEADERS, renderMessagePage } from './session-page';

const STATUS: Record<SessionsErrorCode, number> = {
  'SESSIONS.INVALID_REQUEST': 400,
  'SESSIONS.UNAUTHENTICATED': 401,
  'SESSIONS.FORBIDDEN': 403,
  'SESSIONS.CSRF': 403,
  'SESSIONS.NOT_FOUND': 404,
  'SESSIONS.ALREADY_EXISTS': 409,
};

/**
 * The HTTP edge's error mapping, once: a SessionsError gets its status and `{ error: { code,
 * message } }` (the JSON API) or a small HTML page (the session page, "not logged in" with a link
 * to log in for a 401). PostgreSQL unreachable is a 503 with `Retry-After`; anything else unexpected
 * is a 500 without details. Never cached.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('SessionsHttp');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message, retryAfterSec } = this.classify(exception);
    void reply.status(status).header('cache-control', 'no-store');
    if (retryAfterSec !== undefined) void reply.header('retry-after', String(retryAfterSec));
    if (req.url.startsWith('/sessions')) {
      void reply.headers(PAGE_HEADERS).send(renderMessagePage(status, message));
    } else {
      void reply.send({ error: { code, message } });
    }
  }

  private classify(exception: unknown): { status: number; code: string; message: string; retryAfterSec?: number } {
    if (exception instanceof SessionsError) return { status: STATUS[exception.code], code: exception.code, message: exception.message };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return { status: exception.getStatus(), code: `HTTP.${exception.getStatus()}`, message: exception.message };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`${DATABASE_UNAVAILABLE}: ${(exception as Error).message}`);
      const message = 'Sessions cannot be read or changed right now. Please try again in a few seconds.';
      return { status: 503, code: DATABASE_UNAVAILABLE, message, retryAfterSec: DATABASE_RETRY_AFTER_SECONDS };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: 500, code: 'SESSIONS.INTERNAL', message: 'internal error' };
  }
}
