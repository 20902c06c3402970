/**
 * Propagation proof (not a test):  npm run proof:propagation   (TRIALS=200 LOGINS=500 BURST=400)
 *
 * How long a change takes to reach every verify replica, with the stack run as production runs it
 * (bundles as separate processes: directory, sessions, 3 verify replicas; NATS with the deployed
 * configuration). For each kind of change, TRIALS times: make the change through the admin or
 * sessions API, then poll every replica until it answers the new way; p50/p99/max of the time until
 * the last replica did, from the API's answer and from the call, and of the call itself.
 * - revocation: `DELETE /api/sessions/:id` with the session's own cookie (200 → refused);
 * - membership: a member removed and added again (`/api/directory/groups/vault/members`): 403 ↔ 200;
 * - rule: a rule changed from allow to deny and back (`PUT /api/directory/rules/:id`): 403 ↔ 200.
 * Then fresh logins: a session started as login starts it, asked of a replica at once (it has not
 * seen the event yet and looks the id up): LOGINS one after another, and BURST at the same time;
 * every one must be allowed, never sent to log in again.
 * Targets: p99 ≤ 20 ms from the API's answer, the API call's p50 ≤ 10 ms, no fresh login refused.
 * With BASELINE_DIST=<another build's dist> the same runs against that build (process-stack.ts).
 */
import { performance } from 'node:perf_hooks';
import { SESSIONS_PATTERNS } from '@gate/events';
import { request } from '@gate/messaging';
import { issueSessionToken } from '@gate/session-token';
import { ClientNats } from '@nestjs/microservices';
import { BASELINE, type ProcessStack, startProcessStack } from './process-stack';

const TRIALS = Number(process.env.TRIALS ?? 200);
const LOGINS = Number(process.env.LOGINS ?? 500);
const BURST = Number(process.env.BURST ?? 400);
const REPLICAS = 3;
const print = (line: string) => process.stdout.write(`${line}\n`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

/** The request Traefik sends for a browser holding `cookie`, on `host`. */
function forwarded(host: string, cookie: string): Record<string, string> {
  return { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': host, 'x-forwarded-uri': '/', accept: 'text/html', cookie };
}

async function statusOf(port: number, host: string, cookie: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/verify`, { headers: forwarded(host, cookie), redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

/** Polls a replica until it answers `want`, and resolves with when it did (performance.now()). */
async function until(port: number, host: string, cookie: string, want: number, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) if ((await statusOf(port, host, cookie)) === want) return performance.now();
  throw new Error(`replica on ${port}: no ${want} for ${host} within ${timeoutMs} ms`);
}

/** One kind of change, measured TRIALS times. */
async function measure(stack: ProcessStack, label: string, host: string, change: (i: number) => Promise<{ res: Response; want: number; cookie: string }>): Promise<void> {
  const fromAnswer: number[] = [];
  const fromCall: number[] = [];
  const call: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const called = performance.now();
    const { res, want, cookie } = await change(i);
    await res.arrayBuffer();
    const answered = performance.now();
    if (!res.ok) throw new Error(`${label}: the API answered ${res.status}`);
    const last = Math.max(...(await Promise.all(stack.verify.map((v) => until(v.port, host, cookie, want)))));
    fromAnswer.push(Math.max(0, last - answered));
    fromCall.push(last - called);
    call.push(answered - called);
  }
  print(`${label.padEnd(11)} from the API's answer: ${summary(fromAnswer)} | from the call: ${summary(fromCall)} | the call: ${summary(call)}`);
}

async function main() {
  const stack = await startProcessStack({ verifyReplicas: REPLICAS });
  const login = stack.nats ? stack.nats.client('login') : new ClientNats({ servers: stack.natsUrl });
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${stack.directory.port}/api/directory${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const startSession = async (user: string) => {
    const { token, sessionId } = issueSessionToken(stack.keyring);
    await request(login, SESSIONS_PATTERNS.start, { sessionId, userId: user, email: user, name: user, groups: [], provider: 'proof', clientIp: null, userAgent: null });
    return { cookie: `gate_session=${token}`, sessionId };
  };
  try {
    for (const [path, body] of [
      ['/rules', { id: 'everyone', priority: 100, host: 'app.example.com', effect: 'allow' }],
      ['/groups', { id: 'vault', name: 'Vault' }],
      ['/groups/vault/members', { member: 'carol@example.com' }],
      ['/rules', { id: 'vault', priority: 100, host: 'vault.example.com', effect: 'allow', subjects: { groups: ['vault'] } }],
      ['/rules', { id: 'toggled', priority: 100, host: 'toggled.example.com', effect: 'allow' }],
    ] as const) {
      const res = await admin('POST', path, body);
      if (!res.ok) throw new Error(`setting up ${path}: ${res.status} ${await res.text()}`);
    }
    print(`${BASELINE ? `baseline build (${process.env.BASELINE_DIST})` : 'this build'}: ${REPLICAS} verify replicas, ${TRIALS} trials each, node ${process.version}`);

    const sessions: { cookie: string; sessionId: string }[] = [];
    for (let i = 0; i < TRIALS; i++) sessions.push(await startSession(`user${i}@example.com`));
    for (const s of sessions) await Promise.all(stack.verify.map((v) => until(v.port, 'app.example.com', s.cookie, 200)));
    let trial = 0;
    // A revoked browser session is sent to log in (302).
    await measure(stack, 'revocation', 'app.example.com', async () => {
      const s = sessions[trial++];
      const res = await fetch(`http://127.0.0.1:${stack.sessions.port}/api/sessions/${encodeURIComponent(s.sessionId)}`, { method: 'DELETE', headers: { cookie: s.cookie } });
      return { res, want: 302, cookie: s.cookie };
    });

    const carol = await startSession('carol@example.com');
    await Promise.all(stack.verify.map((v) => until(v.port, 'vault.example.com', carol.cookie, 200)));
    await measure(stack, 'membership', 'vault.example.com', async (i) =>
      i % 2 === 0
        ? { res: await admin('DELETE', '/groups/vault/members/carol@example.com'), want: 403, cookie: carol.cookie }
        : { res: await admin('POST', '/groups/vault/members', { member: 'carol@example.com' }), want: 200, cookie: carol.cookie },
    );
    await measure(stack, 'rule', 'toggled.example.com', async (i) => ({
      res: await admin('PUT', '/rules/toggled', { id: 'toggled', priority: 100, host: 'toggled.example.com', effect: i % 2 === 0 ? 'deny' : 'allow' }),
      want: i % 2 === 0 ? 403 : 200,
      cookie: carol.cookie,
    }));

    let refused = 0;
    for (let i = 0; i < LOGINS; i++) {
      const s = await startSession(`fresh${i}@example.com`);
      if ((await statusOf(stack.verify[i % REPLICAS].port, 'app.example.com', s.cookie)) !== 200) refused++;
    }
    print(`fresh logins asked at once, one after another: ${LOGINS - refused} of ${LOGINS} allowed, ${refused} refused`);
    const burst = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const s = await startSession(`burst${i}@example.com`);
        return statusOf(stack.verify[i % REPLICAS].port, 'app.example.com', s.cookie);
      }),
    );
    print(`fresh logins, ${BURST} at the same time: ${burst.filter((s) => s === 200).length} allowed, answers ${[...new Set(burst)].join(', ')}`);
  } finally {
    await login.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
