/**
 * Interleaved A/B of two ways to run verify (a benchmark, not a test):  npm run bench:verify-ab
 *
 * For a change whose effect is a few percent, which a shared machine's drift hides in
 * `bench:verify`: A and B run side by side against the same seeded JetStream and are loaded in
 * turns (A B, B A, A B, …; PAIRS=10 pairs of DURATION=3 s), so that each pair sees the same
 * machine. Prints each pair's req/s and server CPU time per request, and the median over pairs of
 * B/A for both.
 *
 * A_BUNDLE / B_BUNDLE: the bundles to compare (default: the built one, `nest build verify` first
 * unless SKIP_BUILD=1); A_NODE_OPTIONS / B_NODE_OPTIONS (default: docker-compose.yml's);
 * SESSIONS=100000 and RULES=10 seeded. Example, a 4 MB semi-space against compose's:
 *   B_NODE_OPTIONS=--max-semi-space-size=4 npm run bench:verify-ab
 */
import { TestNatsServer } from '../test/support/nats-server';
import { BUNDLE, buildBundle, deployedNodeOptions, load, medianBy, print, runBench, startServer, stop, type Load } from './verify-harness';
import { seedStreams } from './verify-seed';

const PAIRS = Number(process.env.PAIRS ?? 10);
const DURATION = Number(process.env.DURATION ?? 3);

async function main(): Promise<void> {
  buildBundle();
  const deployed = deployedNodeOptions();
  const sides = (['A', 'B'] as const).map((side) => ({
    side,
    bundle: process.env[`${side}_BUNDLE`] ?? BUNDLE,
    nodeOptions: process.env[`${side}_NODE_OPTIONS`] ?? deployed,
  }));
  const nats = await TestNatsServer.start();
  try {
    const seeded = await seedStreams(nats, Number(process.env.SESSIONS ?? 100_000), Number(process.env.RULES ?? 10));
    const servers = [];
    for (const s of sides) {
      print(`${s.side}: ${s.bundle} with NODE_OPTIONS=${s.nodeOptions}`);
      servers.push(await startServer([s.bundle], { ...seeded.env, NODE_OPTIONS: s.nodeOptions }));
    }
    for (const server of servers) await load(server, '/verify', seeded.cookie, 2); // warm-up
    const pairs: [Load, Load][] = [];
    for (let i = 0; i < PAIRS; i++) {
      const pair: Load[] = [];
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) pair[k] = await load(servers[k], '/verify', seeded.cookie, DURATION);
      const [a, b] = pair;
      pairs.push([a, b]);
      print(`pair ${i + 1}: A ${a.rps.toFixed(0)} req/s ${a.cpuUs.toFixed(1)} µs/request | B ${b.rps.toFixed(0)} req/s ${b.cpuUs.toFixed(1)} µs/request | B/A CPU ${(b.cpuUs / a.cpuUs).toFixed(3)}`);
    }
    const rps = medianBy(pairs, ([a, b]) => b.rps / a.rps);
    const cpu = medianBy(pairs, ([a, b]) => b.cpuUs / a.cpuUs);
    const lower = pairs.filter(([a, b]) => b.cpuUs < a.cpuUs).length;
    print(`median over ${PAIRS} pairs: B/A req/s ${(rps[1].rps / rps[0].rps).toFixed(3)}, B/A CPU per request ${(cpu[1].cpuUs / cpu[0].cpuUs).toFixed(3)} (B used less CPU in ${lower} of ${PAIRS} pairs)`);
    for (const server of servers) await stop(server);
  } finally {
    await nats.destroy();
  }
}

runBench(main);
