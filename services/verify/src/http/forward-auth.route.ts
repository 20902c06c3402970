import type { ServerResponse } from 'node:http';
import type { RawHandler } from '@gate/service-app';
import type { FastifyInstance } from 'fastify';
import type { Answer, ForwardAuth } from '../forward-auth';
import { outcomeOf } from '../decision/verdict';
import type { VerifyMetrics } from '../metrics/verify-metrics';
import { replyToTraefik, type ReplyOptions } from './reply-to-traefik';

/** Traefik's forwardAuth address is `http://verify:4180/verify`. */
export const FORWARD_AUTH_PATH = '/verify';

const UNAVAILABLE = JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'verify cannot decide right now (error)' } });
const UNAVAILABLE_HEADERS = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };

/**
 * The forwardAuth route, answered on node's HTTP server ahead of fastify and Nest (`RawRoutes`):
 * fastify's hooks and Nest's pipeline cost more than the decision itself (see `npm run
 * bench:verify`). Any method (Traefik's `preserveRequestMethod`). A body (`forwardBody`) is never
 * read: node discards what is left of it once the answer is sent, and keeps the connection.
 * Times and counts every decision, and fails closed: an unexpected error is a 503, never a 2xx.
 */
export function forwardAuthHandler(forwardAuth: ForwardAuth, options: ReplyOptions, metrics: VerifyMetrics): RawHandler {
  const count = (outcome: string, started: number): void => metrics.decisions.record(outcome, (performance.now() - started) / 1000);
  const send = (response: ServerResponse, answer: Answer, started: number): void => {
    const out = replyToTraefik(answer, options);
    response.writeHead(out.status, out.headers).end(out.body);
    count(outcomeOf(answer.verdict), started);
  };
  const fail = (response: ServerResponse, started: number): void => {
    if (!response.headersSent) response.writeHead(503, UNAVAILABLE_HEADERS).end(UNAVAILABLE);
    else response.destroy();
    count('error', started);
  };
  return (request, response) => {
    const started = performance.now();
    try {
      const answer = forwardAuth.answer(request.headers);
      if (answer instanceof Promise) answer.then((a) => send(response, a, started)).catch(() => fail(response, started));
      else send(response, answer, started);
    } catch {
      fail(response, started);
    }
  };
}

/** Serves `GET /.well-known/jwks.json`: the assertion keys' public halves (cacheable for a minute). */
export function installJwksRoute(fastify: FastifyInstance, jwks: () => unknown): void {
  fastify.get('/.well-known/jwks.json', (_request, reply) => {
    void reply.headers({ 'cache-control': 'public, max-age=60', 'content-type': 'application/json' }).send(JSON.stringify(jwks()));
  });
}
