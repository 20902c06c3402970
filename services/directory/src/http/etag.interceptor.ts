import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/** Sets `ETag: "<version>"` on every response that is one versioned resource. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body) => {
        if (body && typeof body === 'object' && typeof (body as { version?: unknown }).version === 'number') {
          context.switchToHttp().getResponse<FastifyReply>().header('ETag', `"${(body as { version: number }).version}"`);
        }
        return body;
      }),
    );
  }
}
