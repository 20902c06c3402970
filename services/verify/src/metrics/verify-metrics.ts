import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DecisionTally } from './decision-tally';

/** One of verify's bounded caches, as its metrics see it (a `BoundedMap` is one). */
export interface CacheStats {
  /** Entries held; absent for a cache split over many maps (one per identity). */
  readonly size?: number;
  readonly evictions: { readonly count: number };
}

/** What the gauges read on scrape. */
export interface VerifyGaugeSource {
  /** Every bounded cache by name (`verify_cache_entries`, `verify_cache_evictions_total`). */
  caches(): Record<string, CacheStats>;
  sessions(): { active: number; tombstones: number };
  rules(): number;
  tokens(): number;
  negativeCache(): number;
  lag(): { stream: string; lag: number }[];
  ready(): boolean;
  stale(): boolean;
}

const DECISION_BUCKETS = [0.00002, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1];
const PROPAGATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * verify's domain metrics: decisions by outcome and their latency (observed at the HTTP edge),
 * lookups by result, event propagation delay (occurred-at → applied), and gauges collected on
 * scrape (sessions, rules, tokens in memory; event lag per stream; ready; stale; each bounded
 * cache's entries and evictions, labelled by cache).
 */
export class VerifyMetrics {
  /** Decisions by outcome and their latency (`verify_decisions_total`, `verify_decision_seconds`). */
  readonly decisions: DecisionTally;
  readonly lookups: Counter<'result'>;
  readonly propagationSeconds: Histogram<'stream'>;
  readonly rejectedEvents: Counter<'stream'>;
  readonly eventConflicts: Counter<'stream' | 'kind'>;

  constructor(registry: Registry, source: VerifyGaugeSource) {
    const registers = [registry];
    this.decisions = new DecisionTally(registry, DECISION_BUCKETS);
    this.lookups = new Counter({ name: 'verify_session_lookups_total', help: 'Lookups of unknown session ids by result.', labelNames: ['result'], registers });
    this.propagationSeconds = new Histogram({ name: 'verify_propagation_seconds', help: 'From an event occurring to verify applying it.', labelNames: ['stream'], buckets: PROPAGATION_BUCKETS, registers });
    this.rejectedEvents = new Counter({ name: 'verify_events_rejected_total', help: 'Events skipped because they could not be read.', labelNames: ['stream'], registers });
    this.eventConflicts = new Counter({
      name: 'verify_event_conflicts_total',
      help: 'Alarms: an event at an applied position under another id (conflict, unverifiable), or applied beyond the committed head.',
      labelNames: ['stream', 'kind'],
      registers,
    });
    new Gauge({
      name: 'verify_sessions',
      help: 'Sessions in memory by state.',
      labelNames: ['state'],
      registers,
      collect() {
        const s = source.sessions();
        this.set({ state: 'active' }, s.active);
        this.set({ state: 'tombstone' }, s.tombstones);
      },
    });
    new Gauge({ name: 'verify_rules', help: 'Access rules in memory.', registers, collect() { this.set(source.rules()); } });
    new Gauge({ name: 'verify_api_tokens', help: 'API tokens in memory.', registers, collect() { this.set(source.tokens()); } });
    new Gauge({ name: 'verify_lookup_negative_cache', help: 'Session ids remembered as unknown.', registers, collect() { this.set(source.negativeCache()); } });
    new Gauge({
      name: 'verify_event_lag',
      help: 'Committed head announced by the relay minus applied position, per stream.',
      labelNames: ['stream'],
      registers,
      collect() {
        for (const { stream, lag } of source.lag()) this.set({ stream }, lag);
      },
    });
    new Gauge({
      name: 'verify_cache_entries',
      help: 'Entries held by each bounded in-memory cache.',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const [cache, stats] of Object.entries(source.caches())) if (stats.size !== undefined) this.set({ cache }, stats.size);
      },
    });
    new Counter({
      name: 'verify_cache_evictions_total',
      help: 'Entries each bounded in-memory cache dropped because it was full.',
      labelNames: ['cache'],
      registers,
      collect() {
        this.reset();
        for (const [cache, stats] of Object.entries(source.caches())) this.inc({ cache }, stats.evictions.count);
      },
    });
    new Gauge({ name: 'verify_ready', help: '1 when caught up with the streams at start.', registers, collect() { this.set(source.ready() ? 1 : 0); } });
    new Gauge({ name: 'verify_stale', help: '1 while verify cannot tell its state is complete as of STREAM_STALE_AFTER ago.', registers, collect() { this.set(source.stale() ? 1 : 0); } });
  }
}
