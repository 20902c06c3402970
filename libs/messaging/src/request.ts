import { ClientProxy, NatsRecordBuilder } from '@nestjs/microservices';
import { CORRELATION_HEADER, currentCorrelationId } from '@gate/observability';
import { headers } from '@nats-io/transport-node';
import { firstValueFrom, timeout } from 'rxjs';

/** A request that got no answer in time, or an error answer; `code` is the remote error's code. */
export class RequestFailedError extends Error {
  constructor(
    readonly pattern: string,
    readonly code: string,
    message: string,
  ) {
    super(`${pattern}: ${message}`);
    this.name = 'RequestFailedError';
  }
}

/** Wraps a payload with the current correlation id as a NATS header, so the handler logs it too. */
export function withCorrelation(data: unknown) {
  const id = currentCorrelationId();
  if (!id) return data;
  const h = headers();
  h.set(CORRELATION_HEADER, id);
  return new NatsRecordBuilder(data).setHeaders(h).build();
}

/**
 * Sends one request over NATS and resolves with the single reply; rejects with
 * RequestFailedError on a timeout (`MESSAGING.TIMEOUT`), no responder or an error reply.
 * The current correlation id travels along.
 */
export async function request<T>(client: Pick<ClientProxy, 'send'>, pattern: string, data: unknown, timeoutMs = 2000): Promise<T> {
  try {
    return await firstValueFrom(client.send<T>(pattern, withCorrelation(data)).pipe(timeout(timeoutMs)));
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    if (e?.name === 'TimeoutError') throw new RequestFailedError(pattern, 'MESSAGING.TIMEOUT', `no reply within ${timeoutMs} ms`);
    throw new RequestFailedError(pattern, e?.code ?? 'MESSAGING.ERROR', e?.message ?? String(err));
  }
}
