import { Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '@gate/eventstore';
import { Observable, throwError } from 'rxjs';
import { SessionsError } from '../session/session-error';

/**
 * The NATS edge's error mapping: a SessionsError or RpcException goes back as `{ code, message }`;
 * PostgreSQL unreachable as DATABASE.UNAVAILABLE; anything else as `SESSIONS.INTERNAL` without its
 * details (they are logged here).
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('SessionsRpc');

  catch(exception: unknown): Observable<never> {
    if (exception instanceof SessionsError) return throwError(() => ({ code: exception.code, message: exception.message }));
    if (exception instanceof RpcException) return throwError(() => exception.getError());
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`${DATABASE_UNAVAILABLE}: ${(exception as Error).message}`);
      return throwError(() => ({ code: DATABASE_UNAVAILABLE, message: 'the sessions database is unavailable' }));
    }
    this.logger.error(`request failed: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return throwError(() => ({ code: 'SESSIONS.INTERNAL', message: 'internal error' }));
  }
}

/** The payload parsed by `schema`, or SESSIONS.INVALID_REQUEST naming what is wrong. */
export function parsePayload<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`).join('; ');
  throw new RpcException({ code: 'SESSIONS.INVALID_REQUEST', message });
}
