/**
 * Cold start and memory proof (not a test):  npm run proof:cold-start   (SESSIONS=100000 DIRECTORY=10000 RUNS=3)
 *
 * A fresh verify replica (the bundle, compose's NODE_OPTIONS) started against streams that hold
 * SESSIONS live sessions and DIRECTORY directory events (users, groups, memberships, rules): the
 * time from process start until /readyz answers 200 (replayed and fresh), and its RSS once ready,
 * after 10 s idle, and after a minute's worth of allowed requests for 1% of the sessions.
 * Targets: ready in ≤ 2 s, RSS ≤ 130 MB with 100k sessions. VERIFY_NODE_OPTIONS replaces compose's
 * node options (to try others).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryEvent, SessionsEvent } from '@gate/events';
import { generateAssertionKey } from '@gate/identity-assertion';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { TestNatsServer } from '../test/support/nats-server';
import { freePort } from '../test/support/ports';
import { type Seed, seedStreams, stream } from './seed-streams';

const SESSIONS = Number(process.env.SESSIONS ?? 100_000);
const DIRECTORY = Number(process.env.DIRECTORY ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);
const ROOT = join(__dirname, '..');
const print = (line: string) => process.stdout.write(`${line}\n`);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** DIRECTORY events: a fifth rules, the rest groups and their members (users of the sessions). */
function directoryEvents(): Seed<DirectoryEvent>[] {
  const seeds: Seed<DirectoryEvent>[] = [];
  const rules = Math.floor(DIRECTORY / 5);
  for (let i = 0; i < rules; i++) {
    const rule = { id: `r${i}`, priority: i % 200, host: i === 0 ? 'app.example.com' : `app${i}.example.com`, effect: 'allow' as const, ...(i === 0 ? {} : { subjects: { groups: [`g${i % 100}`] } }) };
    seeds.push({ streamId: stream.rule(rule.id), event: { type: 'RuleDefined', data: { rule } } });
  }
  for (let g = 0; seeds.length < DIRECTORY; g++) {
    const groupId = `g${g}`;
    seeds.push({ streamId: stream.group(groupId), event: { type: 'GroupCreated', data: { groupId, name: groupId } } });
    for (let m = 0; m < 50 && seeds.length < DIRECTORY; m++) seeds.push({ streamId: stream.group(groupId), event: { type: 'MemberAdded', data: { groupId, member: `user${(g * 50 + m) % SESSIONS}@example.com` } } });
  }
  return seeds;
}

async function main(): Promise<void> {
  const sessionKeys = `k1:${Buffer.alloc(32, 3).toString('base64')}`;
  const keyring = parseKeyring(sessionKeys);
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  const cookies: string[] = [];
  const sessions: Seed<SessionsEvent>[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const { token, sessionId } = issueSessionToken(keyring);
    if (i % 100 === 0) cookies.push(`gate_session=${token}`);
    const user = `user${i}@example.com`;
    sessions.push({ streamId: stream.session(sessionId), event: { type: 'SessionStarted', data: { sessionId, userId: user, email: user, name: `User ${i}`, groups: ['idp-users'], provider: 'proof', clientIp: null, userAgent: null, startedAt: new Date().toISOString(), expiresAt, idleTimeoutMs: null } } });
  }
  const nats = await TestNatsServer.start();
  const heads = await seedStreams(nats, directoryEvents(), sessions);
  print(`verify bundle, ${SESSIONS} sessions and ${DIRECTORY} directory events in the streams, NODE_OPTIONS=--max-semi-space-size=8, node ${process.version}`);
  try {
    for (let run = 1; run <= RUNS; run++) {
      const port = await freePort();
      const started = Date.now();
      const child = spawn(process.execPath, [join(ROOT, 'dist/services/verify/main.js')], {
        cwd: ROOT,
        env: { ...process.env, ...nats.env('verify'), NODE_OPTIONS: process.env.VERIFY_NODE_OPTIONS ?? '--max-semi-space-size=8', SESSION_KEYS: sessionKeys, AUTH_URL: 'https://auth.example.com', ASSERTION_KEYS: JSON.stringify([generateAssertionKey('c1')]), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), LOG_LEVEL: 'error' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) {
        if (child.exitCode !== null) throw new Error('verify exited before it was ready');
        await new Promise((r) => setTimeout(r, 10));
      }
      const readyMs = Date.now() - started;
      const atReady = rssMb(child.pid!);
      await new Promise((r) => setTimeout(r, 10_000));
      const idle = rssMb(child.pid!);
      let allowed = 0;
      for (const cookie of cookies) {
        const res = await fetch(`http://127.0.0.1:${port}/verify`, { headers: { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/', cookie } });
        await res.arrayBuffer();
        if (res.status === 200) allowed++;
      }
      const afterLoad = rssMb(child.pid!);
      print(`run ${run}: ready in ${readyMs} ms; RSS ${atReady.toFixed(0)} MB at ready, ${idle.toFixed(0)} MB after 10 s, ${afterLoad.toFixed(0)} MB after ${cookies.length} sessions used (${allowed} allowed)`);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await heads.stop();
    await nats.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
