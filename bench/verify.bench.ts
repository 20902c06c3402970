/**
 * verify benchmark (not a test):  npm run bench:verify
 *
 * Allowed-request throughput and latency at 50 connections on /verify, as a ratio of a raw
 * node:http hello-world sent the same requests, alternating runs with it (see `compare`), for 10 and
 * 100k sessions with 10 and 5k rules. Verify runs as production runs it: the bundle
 * (`nest build verify`, done first unless SKIP_BUILD=1) in its own process, loading its state by
 * replaying JetStream, which the bench seeds beforehand. Reported per state: req/s, p50/p99, the
 * server's CPU time per request (verify's and the baseline's, from /proc), the time from process
 * start to ready (the replay), RSS after the load and peak RSS.
 *
 * Then what serving the route ahead of fastify buys: the same decision on `/verify`, on
 * `/verify-fastify` (a fastify route, as verify had it before) and on `/verify-nest` (an ordinary
 * Nest controller, as it had it first), in one process (from source).
 *
 * Needs a nats-server binary (starts its own). DURATION=5 seconds per run and ROUNDS=3 by default.
 */
import { join } from 'node:path';
import { TestNatsServer } from '../test/support/nats-server';
import { BUNDLE, buildBundle, deployedNodeOptions, load as loadFor, medianBy, memoryOf, print, runBench, startServer, stop, type Load, type Server } from './verify-harness';
import { seedStreams } from './verify-seed';

const DURATION = Number(process.env.DURATION ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BASELINE = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end('hello'); }).listen(Number(process.env.HTTP_PORT), '127.0.0.1')`;
const load = (server: Server, path: string, cookie: string, duration = DURATION): Promise<Load> => loadFor(server, path, cookie, duration);

/** A measured target next to the baseline runs around it. */
interface Compared {
  /** The target's median round. */
  load: Load;
  /** Median over rounds of target / mean of the baseline runs just before and after it. */
  ratio: number;
  /** The baseline runs (b t b … b), to show how much the machine drifted. */
  baseline: Load[];
}

/**
 * Alternates baseline and target runs (b t b t … b) so that both see the same machine: on a shared
 * machine the baseline alone drifts by tens of percent within a minute, and a ratio of runs taken
 * minutes apart measures the drift, not the code.
 */
async function compare(base: Server, target: Server, path: string, cookie: string): Promise<Compared> {
  await load(target, path, cookie, 2); // warm-up
  const baselineRuns = [await load(base, '/verify', cookie)];
  const runs: Load[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    runs.push(await load(target, path, cookie));
    baselineRuns.push(await load(base, '/verify', cookie));
  }
  const ratios = runs.map((r, i) => r.rps / ((baselineRuns[i].rps + baselineRuns[i + 1].rps) / 2));
  return { load: medianBy(runs, (r) => r.rps), ratio: medianBy(ratios, (r) => r), baseline: baselineRuns };
}

const row = (label: string, c: Compared) =>
  `${label.padEnd(36)} ${c.load.rps.toFixed(0).padStart(7)} req/s  p50 ${c.load.p50} ms  p99 ${c.load.p99} ms  ${(100 * c.ratio).toFixed(1).padStart(5)}% of baseline` +
  `  server CPU ${c.load.cpuUs.toFixed(1)} µs/request (baseline ${medianBy(c.baseline, (b) => b.cpuUs).cpuUs.toFixed(1)})` +
  `  (baseline req/s ${c.baseline.map((b) => b.rps.toFixed(0)).join(', ')})`;

async function main(): Promise<void> {
  buildBundle();
  const nodeOptions = deployedNodeOptions();
  const nats = await TestNatsServer.start();
  // The hello-world answers 200 on every path, /readyz included, so startServer's wait works for it.
  const base = await startServer(['-e', BASELINE], {});
  try {
    const sample = await seedStreams(nats, 10, 10);
    await load(base, '/verify', sample.cookie, 2); // warm-up
    print(`${ROUNDS} rounds of ${DURATION} s per target, each between two baseline runs; the median round is shown`);
    print(`\nthe bundle, state replayed from JetStream, NODE_OPTIONS=${nodeOptions} (as docker-compose.yml runs it)`);
    const ratios: number[] = [];
    for (const [sessions, rules] of [[10, 10], [100_000, 10], [10, 5_000], [100_000, 5_000]]) {
      const seeded = await seedStreams(nats, sessions, rules);
      const server = await startServer([BUNDLE], { ...seeded.env, NODE_OPTIONS: nodeOptions });
      const result = await compare(base, server, '/verify', seeded.cookie);
      const memory = memoryOf(server);
      ratios.push(result.ratio);
      print(`${row(`verify ${String(sessions).padStart(6)} sessions ${String(rules).padStart(4)} rules`, result)}  ready in ${server.readyMs} ms  rss ${memory.rss.toFixed(0)} MB (peak ${memory.peak.toFixed(0)} MB)`);
      await stop(server);
    }
    print(`drop small -> large state: ${((100 * (ratios[0] - ratios[3])) / ratios[0]).toFixed(1)}% (of the ratios to the baseline)`);

    const seeded = await seedStreams(nats, 10, 10);
    const both = await startServer(['-r', '@swc-node/register', join(__dirname, 'verify-nest-route.ts')], { ...seeded.env, NODE_OPTIONS: nodeOptions });
    print(`\none process from source, 10 sessions, 10 rules`);
    const direct = await compare(base, both, '/verify', seeded.cookie);
    print(row('/verify ahead of fastify', direct));
    const viaFastify = await compare(base, both, '/verify-fastify', seeded.cookie);
    print(row('/verify-fastify, a fastify route', viaFastify));
    const viaNest = await compare(base, both, '/verify-nest', seeded.cookie);
    print(row('/verify-nest, a Nest controller', viaNest));
    await stop(both);
    print(`ahead of fastify: ${(direct.ratio / viaFastify.ratio).toFixed(2)}x a fastify route, ${(direct.ratio / viaNest.ratio).toFixed(2)}x a Nest controller`);
  } finally {
    await stop(base);
    await nats.destroy();
  }
}

runBench(main);
