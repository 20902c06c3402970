import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The route label of a request that matched no route. */
export const UNMATCHED_ROUTE = 'unmatched';

// verify answers in well under a millisecond, so the buckets start far below prom-client's 5 ms.
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Counts and times every response `fastify` sends, in `http_requests_total` and
 * `http_request_duration_seconds`, labelled by route template, method and status.
 *
 * A fastify `onResponse` hook rather than a Nest interceptor: an interceptor never sees requests
 * that match no route, that a guard or pipe refuses, or the status an exception filter finally
 * chose, and each of those must be counted with the status the client got.
 */
export function installHttpMetrics(fastify: FastifyInstance, registry: Registry): void {
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP responses sent, by route template, method and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by route template, method and status.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = {
      route: (!request.is404 && request.routeOptions.url) || UNMATCHED_ROUTE,
      method: request.method,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
