/**
 * Propagation benchmark (not a test):  npm run bench:propagation
 *
 * How long a revocation takes to reach every verify replica: the stack runs as production runs it
 * (bundles as separate processes: directory, sessions, 3 verify replicas; NATS with the deployed
 * configuration), and each trial
 *   1. starts a session as login does (`sessions.start` over NATS) and waits until every replica
 *      allows it (a replica that has not seen the event yet looks the id up once);
 *   2. revokes it through the sessions API (`DELETE /api/sessions/:id` with its own cookie);
 *   3. polls every replica until it refuses the session, and notes when each did.
 * Reported over TRIALS (200) trials: p50/p99/max of the time until the last replica refused, from
 * the API's answer and from the call. With BASELINE_DIST=<another build's dist> the same runs
 * against that build (see process-stack.ts), to compare two versions on the same machine.
 */
import { performance } from 'node:perf_hooks';
import { SESSIONS_PATTERNS } from '@gate/events';
import { request } from '@gate/messaging';
import { issueSessionToken } from '@gate/session-token';
import { ClientNats } from '@nestjs/microservices';
import { print, runBench } from './verify-harness';
import { BASELINE, startProcessStack } from './process-stack';
import { forwardedHeaders } from './verify-seed';

const TRIALS = Number(process.env.TRIALS ?? 200);
const REPLICAS = 3;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};

async function statusOf(port: number, cookie: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/verify`, { headers: forwardedHeaders(cookie), redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

/** Polls a replica until `done(status)`, and resolves with when it was (performance.now()). */
async function until(port: number, cookie: string, done: (status: number) => boolean, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (done(await statusOf(port, cookie))) return performance.now();
  }
  throw new Error(`replica on ${port}: no change within ${timeoutMs} ms`);
}

async function main() {
  const stack = await startProcessStack({ verifyReplicas: REPLICAS });
  const login = stack.nats ? stack.nats.client('login') : new ClientNats({ servers: stack.natsUrl });
  try {
    const rule = await fetch(`http://127.0.0.1:${stack.directory.port}/api/directory/rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'everyone', priority: 100, host: 'app.example.com', effect: 'allow' }),
    });
    if (!rule.ok) throw new Error(`could not define the rule: ${rule.status} ${await rule.text()}`);
    const fromAnswer: number[] = [];
    const fromCall: number[] = [];
    const apiCall: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { token, sessionId } = issueSessionToken(stack.keyring);
      const cookie = `gate_session=${token}`;
      const user = `user${i}@example.com`;
      await request(login, SESSIONS_PATTERNS.start, { sessionId, userId: user, email: user, name: `User ${i}`, groups: [], provider: 'bench', clientIp: null, userAgent: null });
      await Promise.all(stack.verify.map((v) => until(v.port, cookie, (s) => s === 200)));

      const called = performance.now();
      const res = await fetch(`http://127.0.0.1:${stack.sessions.port}/api/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE', headers: { cookie } });
      await res.arrayBuffer();
      const answered = performance.now();
      if (!res.ok) throw new Error(`revoke answered ${res.status}`);
      const refused = await Promise.all(stack.verify.map((v) => until(v.port, cookie, (s) => s !== 200)));
      const last = Math.max(...refused);
      fromAnswer.push(Math.max(0, last - answered));
      fromCall.push(last - called);
      apiCall.push(answered - called);
    }
    print(`${BASELINE ? `baseline build (${process.env.BASELINE_DIST})` : 'this build'}: ${REPLICAS} verify replicas, ${TRIALS} revocations, node ${process.version}`);
    print(`revocation refused by every replica, from the API's answer: ${summary(fromAnswer)}`);
    print(`revocation refused by every replica, from the API call:     ${summary(fromCall)}`);
    print(`the API call itself (DELETE /api/sessions/:id):            ${summary(apiCall)}`);
  } finally {
    await login.close();
    await stack.stop();
  }
}

runBench(main);
