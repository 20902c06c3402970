/**
 * What counting and timing one forwardAuth decision costs (not a test):
 *   node -r @swc-node/register bench/decision-tally.bench.ts
 * prom-client's counter and histogram with `process.hrtime.bigint()`, as verify had it, against
 * `DecisionTally` with `performance.now()`, in one hot loop each, three times.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { DecisionTally } from '../services/verify/src/metrics/decision-tally';

const BOUNDS = [0.00002, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1];
const N = 2_000_000;
const registry = new Registry();
const counter = new Counter({ name: 'decisions_total', help: 'decisions', labelNames: ['outcome'], registers: [registry] });
const histogram = new Histogram({ name: 'decision_seconds', help: 'decision time', buckets: BOUNDS, registers: [registry] });
const tally = new DecisionTally(new Registry(), BOUNDS);

function promClient(): void {
  for (let i = 0; i < N; i++) {
    const started = process.hrtime.bigint();
    counter.inc({ outcome: 'allow' });
    histogram.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }
}

function tallied(): void {
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    tally.record('allow', (performance.now() - started) / 1000);
  }
}

for (let round = 1; round <= 3; round++) {
  const costs = [promClient, tallied].map((run) => {
    const started = performance.now();
    run();
    return ((performance.now() - started) * 1000) / N;
  });
  console.log(`round ${round}: prom-client ${costs[0].toFixed(3)} µs, tally ${costs[1].toFixed(3)} µs per decision (${(costs[0] / costs[1]).toFixed(1)}x)`);
}
