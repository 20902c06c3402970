import { ClientProxy } from '@nestjs/microservices';
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

/**
 * Sends one request over NATS and resolves with the single reply; rejects with
 * RequestFailedError on a timeout (`MESSAGING.TIMEOUT`), no responder or an error reply.
 */
export async function request<T>(client: ClientProxy, pattern: string, data: unknown, timeoutMs = 2000): Promise<T> {
  try {
    return await firstValueFrom(client.send<T>(pattern, data).pipe(timeout(timeoutMs)));
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    if (e?.name === 'TimeoutError') throw new RequestFailedError(pattern, 'MESSAGING.TIMEOUT', `no reply within ${timeoutMs} ms`);
    throw new RequestFailedError(pattern, e?.code ?? 'MESSAGING.ERROR', e?.message ?? String(err));
  }
}
