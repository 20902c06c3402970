import { inject } from 'light-my-request';
import { Registry } from 'prom-client';
import type { Answer, ForwardAuth } from '../forward-auth';
import { VerifyMetrics } from '../metrics/verify-metrics';
import { identityOf } from '../state/identity';
import { forwardAuthHandler } from './forward-auth.route';
import { identityHeaderNames } from './reply-to-traefik';

const options = { authUrl: 'https://auth.example.com', names: identityHeaderNames('X-Forwarded-User') };
const publicAnswer: Answer = { verdict: { kind: 'allow', identity: null, via: 'public', credential: null }, request: null, browser: false, assertion: null };

function handlerAnswering(answer: () => Answer | Promise<Answer>) {
  const registry = new Registry();
  const gauges = { sessions: () => ({ active: 0, tombstones: 0 }), rules: () => 0, tokens: () => 0, negativeCache: () => 0, lag: () => [], ready: () => true, stale: () => false, caches: () => ({}) };
  const handler = forwardAuthHandler({ answer } as unknown as ForwardAuth, options, new VerifyMetrics(registry, gauges));
  return { handler, counted: async () => (await registry.getSingleMetricAsString('verify_decisions_total')).split('\n').filter((l) => !l.startsWith('#')) };
}

describe('the forwardAuth route on the raw HTTP server', () => {
  it('answers a decision made at once or after a lookup, and counts it by outcome', async () => {
    for (const answer of [() => publicAnswer, () => Promise.resolve(publicAnswer)]) {
      const { handler, counted } = handlerAnswering(answer);
      const res = await inject(handler, { method: 'GET', url: '/verify' });
      expect([res.statusCode, res.headers['cache-control'], res.body]).toEqual([200, 'no-store', '']);
      expect(await counted()).toEqual(['verify_decisions_total{outcome="public"} 1']);
    }
  });

  it('fails closed: an error thrown, or a lookup that rejects, is a 503 and never a 2xx', async () => {
    const failures: (() => Answer | Promise<Answer>)[] = [
      () => {
        throw new Error('bug');
      },
      () => Promise.reject(new Error('lost')),
      // An answer the mapping cannot turn into HTTP (a header value node refuses to send).
      () => ({ ...publicAnswer, verdict: { kind: 'allow', identity: identityOf('a\nb@example.com', 'a@example.com', 'A', [], false), via: 'session', credential: 's' } }),
    ];
    for (const answer of failures) {
      const { handler, counted } = handlerAnswering(answer);
      const res = await inject(handler, { method: 'GET', url: '/verify' });
      expect([res.statusCode, res.headers['cache-control'], res.json().error.code]).toEqual([503, 'no-store', 'UNAVAILABLE']);
      expect(await counted()).toEqual(['verify_decisions_total{outcome="error"} 1']);
    }
  });
});
