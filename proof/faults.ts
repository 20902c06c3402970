/**
 * Fault proof (not a test):  npm run proof:faults
 *
 * The stack as production runs it (bundles: directory, sessions, 2 verify replicas; NATS with the
 * deployed configuration; the writers reach PostgreSQL through a proxy the proof can stop), under a
 * steady load of forwardAuth requests for 40 live sessions on two hosts, every answer recorded.
 * One fault after another, each with changes made through the APIs while it lasts:
 * - NATS stopped 10 s and 30 s, by SIGTERM and by SIGKILL, a session revoked and a host's rule
 *   changed to deny during the outage;
 * - PostgreSQL stopped 10 s (the admin API answers 503; the sessions verify knows keep working);
 * - a verify replica killed -9 and restarted while a 20k-event backlog is written (not ready, and
 *   no 2xx from it, until it has caught up);
 * - the sessions service stopped 10 s (known sessions keep working; an unknown id never loops).
 * Checked for each: false allows (an allow of the revoked session, or on the denied host, later
 * than the commit + STREAM_STALE_AFTER), 5xx other than 503, and at the end events lost (every
 * committed event on JetStream and applied by every replica). Exits 1 when any check fails.
 */
import { randomUUID } from 'node:crypto';
import { SESSIONS_PATTERNS, sessionsEvents, type SessionsEvent } from '@gate/events';
import { createOrm, EventStore } from '@gate/eventstore';
import { request } from '@gate/messaging';
import { issueSessionToken } from '@gate/session-token';
import { jetstreamManager } from '@nats-io/jetstream';
import { TEST_DATABASE_URL, sql } from '../test/support/postgres';
import { type ProcessStack, startProcessStack } from './process-stack';
import { type Probe, SteadyLoad, UNKNOWN_COOKIE } from './steady-load';

const BOUND_MS = 15_000;
const SLACK_MS = 200;
const SESSIONS = 40;
const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Change {
  readonly at: number;
  readonly session?: number;
  readonly host?: string;
}

async function main(): Promise<void> {
  const stack = await startProcessStack({ verifyReplicas: 2, proxyDatabase: true, verifyEnv: { STREAM_STALE_AFTER: `${BOUND_MS}ms` } });
  const nats = stack.nats!;
  const login = nats.client('login');
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${stack.directory.port}/api/directory${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const hosts = ['app.example.com', ...Array.from({ length: 6 }, (_, i) => `vault${i}.example.com`)];
  for (const host of hosts) await admin('POST', '/rules', { id: host.split('.')[0], priority: 100, host, effect: 'allow' });
  const cookies: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const { token, sessionId } = issueSessionToken(stack.keyring);
    await request(login, SESSIONS_PATTERNS.start, { sessionId, userId: `u${i}@example.com`, email: `u${i}@example.com`, name: `U${i}`, groups: [], provider: 'proof', clientIp: null, userAgent: null });
    cookies.push(`gate_session=${token}`);
    ids.push(sessionId);
  }
  UNKNOWN_COOKIE.value = `gate_session=${issueSessionToken(stack.keyring).token}`;
  await sleep(1_000);
  const load = new SteadyLoad(() => stack.verify.map((v) => v.port), () => cookies, hosts);
  const failures: string[] = [];
  let revokeNext = 0;
  let denyNext = 1;
  const revoke = async (): Promise<Change> => {
    const session = revokeNext++;
    const res = await fetch(`http://127.0.0.1:${stack.sessions.port}/api/sessions/${encodeURIComponent(ids[session])}`, { method: 'DELETE', headers: { cookie: cookies[session] } });
    if (!res.ok) throw new Error(`revoke answered ${res.status}`);
    return { at: Date.now(), session };
  };
  const deny = async (): Promise<Change> => {
    const host = hosts[denyNext++];
    const res = await admin('PUT', `/rules/${host.split('.')[0]}`, { id: host.split('.')[0], priority: 100, host, effect: 'deny' });
    if (!res.ok) throw new Error(`the rule change answered ${res.status}`);
    return { at: Date.now(), host };
  };
  const check = (name: string, from: number, changes: Change[], extra: (probes: Probe[]) => string[] = () => []) => {
    const probes = load.probes.slice(from);
    const late = (p: Probe) =>
      p.status >= 200 && p.status < 300 && changes.some((c) => p.at > c.at + BOUND_MS + SLACK_MS && (c.session === undefined ? p.host === c.host : p.session === c.session));
    const falseAllows = probes.filter(late).length;
    const bad5xx = probes.filter((p) => p.status >= 500 && p.status !== 503).length;
    const problems = [...(falseAllows ? [`${falseAllows} false allows`] : []), ...(bad5xx ? [`${bad5xx} 5xx other than 503`] : []), ...extra(probes)];
    const count = (f: (p: Probe) => boolean) => probes.filter(f).length;
    print(`${name.padEnd(58)} ${String(probes.length).padStart(6)} answers (200 ${count((p) => p.status === 200)}, 503 ${count((p) => p.status === 503)}, none ${count((p) => p.status === 0)}): ${problems.length ? problems.join('; ') : 'ok'}`);
    failures.push(...problems.map((p) => `${name}: ${p}`));
  };

  try {
    await sleep(2_000);
    for (const [outageMs, signal] of [[10_000, 'SIGTERM'], [10_000, 'SIGKILL'], [30_000, 'SIGTERM'], [30_000, 'SIGKILL']] as const) {
      const from = load.probes.length;
      await nats.pause(signal);
      const changes = [await revoke(), await deny()];
      await sleep(outageMs);
      await nats.resume();
      await sleep(5_000);
      check(`NATS stopped ${outageMs / 1000} s (${signal})`, from, changes);
    }

    {
      const from = load.probes.length;
      await stack.database!.down();
      await sleep(2_000);
      const write = await admin('POST', '/groups', { id: 'during-outage', name: 'x' });
      const start = await request(login, SESSIONS_PATTERNS.start, { sessionId: randomUUID(), userId: 'x@example.com', email: 'x@example.com', name: 'x', groups: [], provider: 'proof', clientIp: null, userAgent: null }, 3_000).then(() => 'started', (e: Error) => e.message);
      await sleep(8_000);
      await stack.database!.up();
      await sleep(5_000);
      check('PostgreSQL stopped 10 s', from, [], (probes) => [
        ...(write.status === 503 ? [] : [`the admin API answered ${write.status} during the outage, not 503`]),
        ...(start === 'started' ? ['a session started during the outage'] : []),
        ...(probes.filter((p) => p.session >= revokeNext && p.host === 'app.example.com' && p.status !== 200).length > 0 ? [`known sessions refused: ${probes.filter((p) => p.session >= revokeNext && p.host === 'app.example.com' && p.status !== 200).length}`] : []),
      ]);
    }

    {
      const from = load.probes.length;
      const replica = stack.verify[1];
      await replica.kill('SIGKILL');
      const restartedAt = Date.now();
      await appendBacklog(stack, 20_000);
      await replica.restart({ waitReady: false });
      while (!(await fetch(`http://127.0.0.1:${replica.port}/readyz`).then((r) => r.ok, () => false))) await sleep(20);
      const readyAt = Date.now();
      await sleep(3_000);
      check(`a verify replica killed -9, restarted with a 20k backlog (ready after ${((readyAt - restartedAt) / 1000).toFixed(1)} s)`, from, [], (probes) => {
        const early = probes.filter((p) => p.replica === 1 && p.at > restartedAt && p.at < readyAt - 50 && p.status >= 200 && p.status < 300).length;
        return early ? [`${early} allows from the replica before it was ready`] : [];
      });
    }

    {
      const from = load.probes.length;
      await stack.sessions.kill('SIGTERM');
      const stoppedAt = Date.now();
      await sleep(10_000);
      const restartedAt = Date.now();
      await stack.sessions.restart();
      await sleep(3_000);
      check('the sessions service stopped 10 s', from, [], (probes) => {
        const during = probes.filter((p) => p.at > stoppedAt && p.at < restartedAt);
        const refused = during.filter((p) => p.session >= revokeNext && p.host === 'app.example.com' && p.status !== 200);
        const refusedKnown = refused.length;
        if (process.env.DEBUG_FAULTS) print(`refused: ${JSON.stringify(refused.slice(0, 3).map((p) => ({ ...p, after: p.at - stoppedAt })))} last after ${refused.length ? refused[refused.length - 1].at - stoppedAt : 0}`);
        const unknownLoops = during.filter((p) => p.session === -1 && p.status === 302).length;
        return [...(refusedKnown ? [`${refusedKnown} known sessions refused`] : []), ...(unknownLoops ? [`${unknownLoops} unknown ids sent to log in`] : [])];
      });
    }

    await load.stop();
    failures.push(...(await eventsLost(stack)));
  } finally {
    await load.stop();
    await login.close();
    await stack.stop();
  }
  print(failures.length ? `FAILED: ${failures.join(' | ')}` : 'every check passed');
  process.exit(failures.length ? 1 : 0);
}

/** 20k events on the sessions log, written as the sessions service would (its relay publishes them). */
async function appendBacklog(stack: ProcessStack, count: number): Promise<void> {
  const [{ schema }] = await sql<{ schema: string }>("select nspname as schema from pg_namespace where nspname like 'bench_ses_%' order by oid desc limit 1");
  const orm = await createOrm({ clientUrl: TEST_DATABASE_URL, schema });
  const store = new EventStore(orm, sessionsEvents);
  for (let done = 0; done < count; done += 500) {
    const events: SessionsEvent[] = Array.from({ length: 500 }, (_, i) => ({ type: 'SessionExpired', data: { sessionId: `backlog-${done + i}`, userId: 'old@example.com', expiredAt: new Date().toISOString() } }));
    await store.append(`session:backlog-${done}`, 'any', events, { actor: 'proof', correlationId: randomUUID(), occurredAt: new Date() });
  }
  await orm.close();
  void stack;
}

/** Every committed event on JetStream, and every replica caught up with it. */
async function eventsLost(stack: ProcessStack): Promise<string[]> {
  await sleep(3_000);
  const nc = await stack.nats!.connect('admin');
  const jsm = await jetstreamManager(nc);
  const problems: string[] = [];
  for (const [context, stream] of [['directory', 'AUTH_DIRECTORY'], ['sessions', 'AUTH_SESSIONS']] as const) {
    const [{ schema }] = await sql<{ schema: string }>(`select nspname as schema from pg_namespace where nspname like 'bench_${context === 'directory' ? 'dir' : 'ses'}_%' order by oid desc limit 1`);
    const [{ n }] = await sql<{ n: number }>(`select count(*)::int as n from "${schema}".event`);
    const messages = (await jsm.streams.info(stream)).state.messages;
    if (messages !== n) problems.push(`${stream}: ${n} events committed, ${messages} on JetStream`);
    for (const v of stack.verify) {
      const metrics = await (await fetch(`http://127.0.0.1:${v.port}/metrics`)).text();
      const lag = Number(new RegExp(`verify_event_lag\\{stream="${stream}"[^}]*\\} (\\d+)`).exec(metrics)?.[1] ?? NaN);
      if (lag !== 0) problems.push(`verify on ${v.port}: ${stream} lags ${lag}`);
    }
  }
  await nc.close();
  print(`events lost: ${problems.length ? problems.join('; ') : 'none (every committed event on JetStream and applied by both replicas)'}`);
  return problems;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
