import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** The header a correlation id travels in, in requests and in responses. */
export const CORRELATION_HEADER = 'x-correlation-id';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id to use for an incoming value (a header, a message's metadata): the value
 * itself when it is at most 128 characters of `[A-Za-z0-9._:-]`, else a new random uuid.
 */
export function correlationIdFrom(incoming: unknown): string {
  return typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
}

/** The correlation id of the request or message being handled, or undefined outside of one. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** Runs `fn` with `correlationId` as the current one, e.g. while handling a NATS message. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run(correlationId, fn);
}

/**
 * Gives every request on `fastify` a correlation id (from its `x-correlation-id` header when
 * valid, else a new one), echoes it in the response header and makes it current for the rest of
 * the request: fastify carries the async context from `onRequest` through body parsing.
 */
export function installCorrelation(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const id = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    void reply.header(CORRELATION_HEADER, id);
    storage.run(id, done);
  });
}
