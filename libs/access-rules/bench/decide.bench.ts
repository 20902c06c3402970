// Benchmark, not a test: decide() over 5,000 rules on ~1,000 hosts (with wildcards) against
// decide() over 10 rules. Run from the repository root:
//   node -r @swc-node/register libs/access-rules/bench/decide.bench.ts
// The ratio is the point: a decision should cost about the same however many rules there are,
// because the compiled index hands each request only the rules for its host.
import {
  compileRules,
  decide,
  type AccessRequest,
  type AccessRule,
  type CompiledRules,
  type Principal,
} from '../src';
import { lookupHost } from '../src/host-index';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const CALLS = 1_000_000;
const ROUNDS = 5;

// A fixed LCG, so every run benchmarks the same rules and requests.
let seed = 1;
function pick<T>(items: readonly T[]): T {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return items[(seed >>> 8) % items.length];
}

const principals: (Principal | null)[] = [
  null,
  { id: 'alice@example.com', groups: new Set(['staff']) },
  { id: 'bob@example.com', groups: new Set(['contractors', 'staff']) },
  { id: 'carol@example.com', groups: new Set(['team-7', 'admins']) },
];
const paths = ['/', '/admin/users', '/api/v1/items', '/public/app.js', '/home', '/adminx'];
const methods = ['GET', 'GET', 'GET', 'POST', 'DELETE'];

/**
 * `ruleCount` rules over `hostCount` hosts `app<i>.team<i % teams>.example.com`: two rules for
 * `*.example.com`, three per `*.team<k>.example.com`, the rest on random exact hosts.
 */
function ruleSet(ruleCount: number, hostCount: number, teams: number) {
  const hosts = Array.from({ length: hostCount }, (_, i) => `app${i}.team${i % teams}.example.com`);
  const rules: AccessRule[] = [];
  const add = (host: string, fields: Partial<AccessRule>) =>
    rules.push({ id: `r${rules.length}`, priority: 10, host, effect: 'allow', ...fields });
  const contractors = { groups: ['contractors'] };
  add('*.example.com', { priority: 1, paths: ['/admin'], effect: 'deny', subjects: contractors });
  add('*.example.com', { priority: 90, paths: ['/public'], effect: 'public' });
  for (let team = 0; team < teams; team++) {
    const suffix = `*.team${team}.example.com`;
    add(suffix, { priority: 50, subjects: { groups: [`team-${team}`] } });
    add(suffix, { priority: 40, paths: ['/api'], methods: ['GET'], subjects: { groups: ['staff'] } });
    add(suffix, { priority: 60, paths: ['/home'], subjects: { users: ['alice@example.com'] } });
  }
  while (rules.length < ruleCount) {
    const host = pick(hosts);
    switch (pick([0, 1, 2, 3])) {
      case 0:
        add(host, { priority: 20, paths: ['/api'], methods: ['GET', 'POST'] });
        break;
      case 1:
        add(host, { priority: 5, paths: ['/admin'], effect: 'deny' });
        break;
      case 2:
        add(host, { priority: 30, subjects: { users: [`user${rules.length}@example.com`] } });
        break;
      default:
        add(host, { priority: 40, subjects: { groups: ['staff', `g${rules.length}`] } });
    }
  }
  return { rules, hosts };
}

/** Requests: mostly named hosts, some only a wildcard covers, some no rule names. */
function requests(hosts: readonly string[], teams: number): AccessRequest[] {
  return Array.from({ length: 4096 }, (_, i) => {
    const kind = i % 10;
    const host =
      kind < 6 ? pick(hosts) : kind < 9 ? `x${i}.team${i % teams}.example.com` : `app${i}.unknown.org`;
    return { host, path: pick(paths), method: pick(methods) };
  });
}

// Garbage collections seen while a timed loop ran: decide() allocates nothing, so there should be none.
const timedWindows: [number, number][] = [];
let collectionsWhileTimed = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (timedWindows.some(([from, to]) => entry.startTime >= from && entry.startTime <= to)) {
      collectionsWhileTimed++;
    }
  }
});
gcObserver.observe({ entryTypes: ['gc'] });

function time(compiled: CompiledRules, reqs: readonly AccessRequest[]): { nsPerOp: number; sink: number } {
  const mask = reqs.length - 1;
  const who = principals.length;
  let sink = 0;
  const from = performance.now();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const decision = decide(compiled, reqs[i & mask], principals[i % who]);
    sink += decision.outcome.length;
  }
  const nsPerOp = Number(process.hrtime.bigint() - start) / CALLS;
  timedWindows.push([from, performance.now()]);
  return { nsPerOp, sink };
}

function measure(label: string, ruleCount: number, hostCount: number, teams: number): number {
  const { rules, hosts } = ruleSet(ruleCount, hostCount, teams);
  const compileStart = process.hrtime.bigint();
  const compiled = compileRules(rules);
  const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
  const reqs = requests(hosts, teams);
  // How many rules a request's host brings to the walk, on average: the real cost driver.
  const perHost = reqs.reduce((sum, r) => sum + (lookupHost(compiled.index, r.host)?.values.length ?? 0), 0);
  time(compiled, reqs); // warm-up: let the JIT settle
  const samples = Array.from({ length: ROUNDS }, () => time(compiled, reqs).nsPerOp).sort((a, b) => a - b);
  const median = samples[Math.floor(ROUNDS / 2)];
  console.log(
    `${label.padEnd(26)} compile ${compileMs.toFixed(1).padStart(6)} ms   ` +
      `rules per host ${(perHost / reqs.length).toFixed(1).padStart(4)}   ` +
      `decide ${median.toFixed(1).padStart(6)} ns/op (median of ${ROUNDS} x ${CALLS.toLocaleString('en')}, ` +
      `best ${samples[0].toFixed(1)})`,
  );
  return median;
}

console.log(`node ${process.version}`);
const large = measure('5,000 rules / 1,000 hosts', 5000, 1000, 100);
const small = measure('10 rules / 3 hosts', 10, 3, 1);
console.log(`ratio (5,000 rules / 10 rules): ${(large / small).toFixed(2)}x`);
// GC entries arrive asynchronously: report once they are in.
setTimeout(() => {
  gcObserver.disconnect();
  const calls = timedWindows.length * CALLS;
  console.log(`garbage collections during ${calls.toLocaleString('en')} timed decide() calls: ${collectionsWhileTimed}`);
}, 100);
