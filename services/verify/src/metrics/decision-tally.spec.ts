import { Counter, Histogram, Registry } from 'prom-client';
import { DecisionTally } from './decision-tally';

const BOUNDS = [0.0001, 0.001, 0.01];

describe('the decision tally', () => {
  it("exposes exactly what prom-client's own counter and histogram would for the same decisions", async () => {
    const tallied = new Registry();
    tallied.setDefaultLabels({ service: 'verify' });
    const tally = new DecisionTally(tallied, BOUNDS);
    const reference = new Registry();
    reference.setDefaultLabels({ service: 'verify' });
    const counter = new Counter({ name: 'verify_decisions_total', help: 'forwardAuth answers by outcome.', labelNames: ['outcome'], registers: [reference] });
    const histogram = new Histogram({ name: 'verify_decision_seconds', help: 'Time to decide one forwardAuth request (lookups included).', buckets: BOUNDS, registers: [reference] });

    const decisions: [string, number][] = [['allow', 0.00005], ['allow', 0.0001], ['login', 0.0005], ['error', 0.002], ['allow', 3]];
    for (const [outcome, seconds] of decisions) {
      tally.record(outcome, seconds);
      counter.inc({ outcome });
      histogram.observe(seconds);
    }
    expect(await tallied.metrics()).toBe(await reference.metrics());
    expect(await tallied.metrics()).toContain('verify_decision_seconds_bucket{le="0.0001",service="verify"} 2');

    tally.record('allow', 0.00001); // counted between two scrapes
    expect(await tallied.getSingleMetricAsString('verify_decisions_total')).toContain('verify_decisions_total{outcome="allow",service="verify"} 4');
  });

  it('exposes zero counts before any decision', async () => {
    const registry = new Registry();
    new DecisionTally(registry, BOUNDS);
    const text = await registry.metrics();
    expect(text).toContain('verify_decision_seconds_count 0');
    expect(text).toContain('verify_decision_seconds_bucket{le="+Inf"} 0');
  });
});
