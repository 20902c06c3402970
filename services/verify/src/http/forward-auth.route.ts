import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Answer, ForwardAuth } from '../forward-auth';
import { outcomeOf } from '../decision/verdict';
import type { VerifyMetrics } from '../metrics/verify-metrics';
import { replyToTraefik, type ReplyOptions } from './reply-to-traefik';

/** Traefik's forwardAuth address is `http://verify:4180/verify`. */
export const FORWARD_AUTH_PATH = '/verify';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Serves the forwardAuth route on the fastify instance directly, outside Nest's pipeline (which
 * cost too much on this path, see the README). Any method (Traefik's `preserveRequestMethod`),
 * any body is ignored (`forwardBody`). Times and counts every decision.
 */
export function installForwardAuthRoute(fastify: FastifyInstance, forwardAuth: ForwardAuth, options: ReplyOptions, metrics: VerifyMetrics): void {
  const send = (reply: FastifyReply, answer: Answer, started: bigint): void => {
    const out = replyToTraefik(answer, options);
    metrics.decisions.inc({ outcome: outcomeOf(answer.verdict) });
    metrics.decisionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    void reply.code(out.status).headers(out.headers).send(out.body);
  };
  const fail = (reply: FastifyReply, started: bigint): void => {
    // Fail closed: an unexpected error is a 503, never a 2xx.
    metrics.decisions.inc({ outcome: 'error' });
    metrics.decisionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    void reply
      .code(503)
      .headers({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' })
      .send(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'verify cannot decide right now (error)' } }));
  };
  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
    const started = process.hrtime.bigint();
    try {
      const answer = forwardAuth.answer(request.headers);
      if (answer instanceof Promise) answer.then((a) => send(reply, a, started), () => fail(reply, started));
      else send(reply, answer, started);
    } catch {
      fail(reply, started);
    }
  };
  void fastify.register(async (scope) => {
    // Bodies (forwardBody) are never read: accept any content type and drop it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.route({ method: METHODS, url: FORWARD_AUTH_PATH, exposeHeadRoute: false, handler });
  });
}

/** Serves `GET /.well-known/jwks.json`: the assertion keys' public halves (cacheable for a minute). */
export function installJwksRoute(fastify: FastifyInstance, jwks: () => unknown): void {
  fastify.get('/.well-known/jwks.json', (_request, reply) => {
    void reply.headers({ 'cache-control': 'public, max-age=60', 'content-type': 'application/json' }).send(JSON.stringify(jwks()));
  });
}
