import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { CORRELATION_HEADER, correlationIdFrom, runWithCorrelationId } from '@gate/observability';
import { Observable } from 'rxjs';

/**
 * Makes the caller's correlation id (the `x-correlation-id` NATS header that `request` sets) the
 * current one while a message handler runs, so its logs and the events it appends carry it.
 * HTTP requests are left alone (they get theirs from a fastify hook).
 */
@Injectable()
export class NatsCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const headers = context.switchToRpc().getContext<NatsContext>()?.getHeaders?.();
    const id = correlationIdFrom(headers?.get?.(CORRELATION_HEADER));
    return new Observable((subscriber) => runWithCorrelationId(id, () => next.handle().subscribe(subscriber)));
  }
}
