/**
 * Fuzzing verify with an oracle (not a test):  npm run proof:fuzz   (REQUESTS=100000 SEED=1)
 *
 * verify's bundle runs as production runs it, with a real state replayed from JetStream: users
 * in groups, a disabled user, a revoked and an expired session, rules with public paths, paths,
 * methods, a wildcard host and a case-sensitive path. REQUESTS generated forwardAuth requests
 * (mutated headers, cookies, hosts, paths, methods; reproducible from SEED) are sent to /verify,
 * and a share of them as raw bytes that node's HTTP parser must refuse. Every answer is checked:
 * - no 5xx at all, and verify stays up;
 * - every 200 is one the rule engine gives (`libs/access-rules` called directly on the request as
 *   FORWARD_AUTH.md defines it): never for a malformed request, never with an identity other than
 *   that of a live session presented, and without an identity only where a public rule applies;
 * - what a parser-refused request gets is a 400 (431 when too large), never anything else.
 * Exits 1 with the first failures and the seed when any check fails.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { compileRules, decide, normalizeHost, normalizePath, type AccessRule } from '@gate/access-rules';
import type { DirectoryEvent, SessionsEvent } from '@gate/events';
import { generateAssertionKey } from '@gate/identity-assertion';
import { issueSessionToken, parseKeyring } from '@gate/session-token';
import { TestNatsServer } from '../test/support/nats-server';
import { freePort } from '../test/support/ports';
import { fuzzRequest, prng, type FuzzRequest } from './fuzz-requests';
import { type Seed, seedStreams, stream } from './seed-streams';

const REQUESTS = Number(process.env.REQUESTS ?? 100_000);
const SEED = Number(process.env.SEED ?? 1);
const RAW_SHARE = 0.03;
const ROOT = join(__dirname, '..');

const RULES: AccessRule[] = [
  { id: 'public', priority: 50, host: 'app.fuzz.test', paths: ['/public'], effect: 'public' },
  { id: 'admin', priority: 10, host: 'app.fuzz.test', paths: ['/admin'], effect: 'allow', subjects: { groups: ['admins'] } },
  { id: 'admin-deny', priority: 20, host: 'app.fuzz.test', paths: ['/admin'], effect: 'deny' },
  { id: 'api-writers', priority: 30, host: 'app.fuzz.test', paths: ['/api'], methods: ['POST'], effect: 'allow', subjects: { groups: ['writers'] } },
  { id: 'api-deny', priority: 40, host: 'app.fuzz.test', paths: ['/api'], effect: 'deny' },
  { id: 'everyone', priority: 300, host: 'app.fuzz.test', effect: 'allow' },
  { id: 'wild', priority: 100, host: '*.fuzz.test', effect: 'allow', subjects: { users: ['ann@fuzz.test'] } },
  { id: 'docs', priority: 100, host: 'other.fuzz.test', paths: ['/Docs'], effect: 'public' },
];
const GROUPS: Record<string, string[]> = { admins: ['ann@fuzz.test'], writers: ['bob@fuzz.test'] };
/** The sessions: who, whether it may still be used (revoked, expired), and whether the user is disabled. */
const PEOPLE = [
  { user: 'ann@fuzz.test', live: true },
  { user: 'bob@fuzz.test', live: true },
  { user: 'cid@fuzz.test', live: true },
  { user: 'dan@fuzz.test', live: true, disabled: true },
  { user: 'eve@fuzz.test', live: false, revoked: true },
  { user: 'fay@fuzz.test', live: false, expired: true },
];

/** FORWARD_AUTH.md's reading of a forwarded request, written apart from verify's own parser. */
function oracleRequest(headers: Record<string, string | string[]>): { host: string; path: string; method: string } | null {
  // HTTP drops white space around a header value (RFC 9110 5.5), so the server sees it trimmed.
  const one = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v.trim() !== '' && !v.includes(',') ? v.trim() : null;
  };
  const method = one('x-forwarded-method');
  const proto = one('x-forwarded-proto');
  const rawHost = one('x-forwarded-host');
  const raw = headers['x-forwarded-uri'];
  const uri = typeof raw === 'string' ? raw.trim() : raw;
  if (!method || !proto || !rawHost || typeof uri !== 'string' || uri === '' || uri.includes(', ')) return null;
  if (!/^[A-Z]{1,20}$/.test(method) || !['http', 'https', 'ws', 'wss'].includes(proto)) return null;
  const host = normalizeHost(rawHost);
  const path = normalizePath(uri);
  return host !== null && path.ok ? { host, path: path.path, method } : null;
}

async function main(): Promise<void> {
  const sessionKeys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
  const keyring = parseKeyring(sessionKeys);
  const directory: Seed<DirectoryEvent>[] = [
    ...RULES.map((rule) => ({ streamId: stream.rule(rule.id), event: { type: 'RuleDefined', data: { rule } } as DirectoryEvent })),
    ...Object.entries(GROUPS).flatMap(([group, members]) => [
      { streamId: stream.group(group), event: { type: 'GroupCreated', data: { groupId: group, name: group } } as DirectoryEvent },
      ...members.map((member) => ({ streamId: stream.group(group), event: { type: 'MemberAdded', data: { groupId: group, member } } as DirectoryEvent })),
    ]),
    ...PEOPLE.filter((p) => p.disabled).map((p) => ({ streamId: stream.user(p.user), event: { type: 'UserDisabled', data: { userId: p.user } } as DirectoryEvent })),
  ];
  const sessions: Seed<SessionsEvent>[] = [];
  const tokenOwner = new Map<string, (typeof PEOPLE)[number]>();
  const now = Date.now();
  for (const person of PEOPLE) {
    const { token, sessionId } = issueSessionToken(keyring);
    tokenOwner.set(token, person);
    const expiresAt = new Date(now + (person.expired ? 500 : 3_600_000)).toISOString();
    const data = { sessionId, userId: person.user, email: person.user, name: person.user, groups: [], provider: 'fuzz', clientIp: null, userAgent: null, startedAt: new Date(now).toISOString(), expiresAt, idleTimeoutMs: null };
    sessions.push({ streamId: stream.session(sessionId), event: { type: 'SessionStarted', data } });
    if (person.revoked) sessions.push({ streamId: stream.session(sessionId), event: { type: 'SessionRevoked', data: { sessionId, userId: person.user, revokedBy: 'admin', reason: 'admin', revokedAt: new Date(now).toISOString() } } });
  }
  const live = [...tokenOwner.keys()];
  const tampered = live.map((t) => `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`);
  const cookiePool = [...live, ...tampered, 'garbage', '', 'k1.x.y', 'A'.repeat(200)];

  const nats = await TestNatsServer.start();
  const heads = await seedStreams(nats, directory, sessions);
  const port = await freePort();
  const verify = spawn(process.execPath, [join(ROOT, 'dist/services/verify/main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...nats.env('verify'), SESSION_KEYS: sessionKeys, AUTH_URL: 'https://auth.fuzz.test', ASSERTION_KEYS: JSON.stringify([generateAssertionKey('f1')]), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  try {
    while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) {
      if (verify.exitCode !== null) throw new Error('verify exited before it was ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The expired session must be past its end before the first request.
    await new Promise((r) => setTimeout(r, Math.max(0, now + 600 - Date.now())));
    const compiled = compileRules(RULES);
    const groupsOf = (user: string) => new Set(Object.entries(GROUPS).filter(([, m]) => m.includes(user)).map(([g]) => g));
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const random = prng(SEED);
    const check = (req: FuzzRequest, status: number, headers: Record<string, string | string[] | undefined>) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) return failures.push(`${status} for ${JSON.stringify(req.headers)}`);
      if (status !== 200) return;
      const forwarded = oracleRequest(req.headers);
      if (forwarded === null) return failures.push(`200 for a malformed request ${JSON.stringify(req.headers)}`);
      const user = headers['x-forwarded-user'];
      if (typeof user === 'string') {
        const presented = req.cookies.map((c) => tokenOwner.get(c)).filter((p) => p && p.live && !p.disabled && p.user === user);
        if (presented.length === 0) return failures.push(`200 as ${user}, whose live session was not presented: ${JSON.stringify(req.headers)}`);
        const outcome = decide(compiled, forwarded, { id: user, groups: groupsOf(user) }).outcome;
        if (outcome !== 'allow' && outcome !== 'public') failures.push(`200 as ${user} where the rules say ${outcome}: ${JSON.stringify(req.headers)}`);
      } else if (decide(compiled, forwarded, null).outcome !== 'public') {
        failures.push(`200 without identity where no public rule applies: ${JSON.stringify(req.headers)}`);
      }
    };
    const send = (req: FuzzRequest) =>
      new Promise<void>((resolve) => {
        const r = httpRequest({ host: '127.0.0.1', port, path: '/verify', method: 'GET', headers: req.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => (check(req, res.statusCode ?? 0, res.headers), resolve()));
        });
        r.on('error', (err) => (failures.push(`no answer (${err.message}) for ${JSON.stringify(req.headers)}`), resolve()));
        r.end();
      });
    const sendRaw = (index: number) =>
      new Promise<void>((resolve) => {
        const bad = ['x-forwarded-host: app.fuzz\x00.test', 'x-forwarded-uri: /pub\x01lic', 'x-forw\x7farded-host: a', 'x forwarded: y', `cookie: ${'a'.repeat(20_000)}`][index % 5];
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET /verify HTTP/1.1\r\nhost: verify\r\nx-forwarded-method: GET\r\n${bad}\r\n\r\n`));
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('close', () => {
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status !== 400 && status !== 431) failures.push(`a request the parser refuses got ${status || 'no answer'} (${JSON.stringify(bad.slice(0, 40))})`);
          resolve();
        });
        socket.on('error', () => undefined);
      });
    const started = Date.now();
    for (let sent = 0; sent < REQUESTS; ) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 64 && sent < REQUESTS; i++, sent++) batch.push(random() < RAW_SHARE ? sendRaw(sent) : send(fuzzRequest(random, cookiePool)));
      await Promise.all(batch);
      if (verify.exitCode !== null) throw new Error(`verify exited (${verify.exitCode}) after ${sent} requests`);
    }
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    process.stdout.write(`${REQUESTS} requests (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${byStatus}; failures ${failures.length}\n`);
    for (const f of failures.slice(0, 20)) process.stdout.write(`  ${f}\n`);
  } finally {
    verify.kill('SIGTERM');
    await heads.stop();
    await nats.destroy();
  }
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
