import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AccessRuleError } from '@gate/access-rules';
import { InvalidEventError } from '@gate/events';
import { ConcurrencyError, DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@gate/eventstore';
import { RpcException } from '@nestjs/microservices';
import type { FastifyReply } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { DirectoryError, type DirectoryErrorKind } from '../directory-error';

const STATUS: Record<DirectoryErrorKind, number> = { invalid: 400, 'not-found': 404, conflict: 409 };
const HTTP_CODES: Record<number, string> = { 400: 'HTTP.BAD_REQUEST', 401: 'AUTH.UNAUTHENTICATED', 403: 'AUTH.FORBIDDEN', 404: 'HTTP.NOT_FOUND', 405: 'HTTP.METHOD_NOT_ALLOWED', 413: 'HTTP.PAYLOAD_TOO_LARGE', 415: 'HTTP.UNSUPPORTED_MEDIA_TYPE' };

/** What an error becomes at the edge: a status and `{ error: { code, message } }`, and when to retry. */
export function httpErrorOf(error: unknown): { status: number; code: string; message: string; retryAfterSec?: number } {
  if (error instanceof DirectoryError) return { status: STATUS[error.kind], code: error.code, message: error.message };
  if (error instanceof AccessRuleError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof InvalidEventError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof ConcurrencyError) {
    return { status: 412, code: error.code, message: `${error.message}: read it again and retry with its current ETag` };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const message = status === 401 ? 'send an admin API token as Authorization: Bearer <token>' : error.message;
    return { status, code: HTTP_CODES[status] ?? `HTTP.${status}`, message };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // fastify's own errors before a route runs: malformed JSON, body too large, bad content type.
    return { status, code: HTTP_CODES[status] ?? `HTTP.${status}`, message: (error as Error).message };
  }
  if (isDatabaseUnavailable(error)) {
    // Nothing was written (an append and its read models commit together or not at all): retry.
    const message = 'the database is unavailable; try again in a few seconds';
    return { status: 503, code: DATABASE_UNAVAILABLE, message, retryAfterSec: DATABASE_RETRY_AFTER_SECONDS };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}

/**
 * Maps every error of the admin API to HTTP once: validation 400, unauthenticated 401 (with
 * `WWW-Authenticate: Bearer`), not an admin 403, not found 404, conflict 409, stale If-Match 412,
 * PostgreSQL unreachable 503 (with `Retry-After`).
 */
@Catch()
export class DirectoryExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DirectoryApi');

  catch(error: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') {
      // A NATS handler (the filter is global and the message handlers inherit it): reply with the error.
      const { code, message } = httpErrorOf(error);
      return throwError(() => (error instanceof RpcException ? error.getError() : { code, message }));
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message, retryAfterSec } = httpErrorOf(error);
    if (code === DATABASE_UNAVAILABLE) this.logger.warn(`${code}: ${(error as Error).message}`);
    else if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="directory"');
    if (retryAfterSec !== undefined) reply.header('Retry-After', String(retryAfterSec));
    void reply.status(status).send({ error: { code, message } });
  }
}
