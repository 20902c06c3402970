import type { HostPattern } from './host-pattern';

/** The values every request to one host (or under one wildcard suffix) must consider, in order. */
export interface HostEntry<T> {
  /** The exact host, or the most specific wildcard suffix, the entry was found under. */
  readonly pattern: HostPattern;
  readonly values: readonly T[];
}

/**
 * Values keyed by host pattern, pre-merged so that one lookup answers a request host.
 *
 * `exact` maps an exact host to its own values plus those of every wildcard covering it. `wildcard`
 * holds, for each wildcard suffix, its own values plus those of every shorter wildcard covering it;
 * it is keyed by the suffix's length and a hash of its first label, so a lookup can walk the
 * host's parent suffixes without slicing strings (no allocation); each bucket keeps the suffixes
 * to confirm a hit.
 */
export interface HostIndex<T> {
  readonly exact: ReadonlyMap<string, HostEntry<T>>;
  readonly wildcard: ReadonlyMap<number, readonly WildcardEntry<T>[]>;
}

interface WildcardEntry<T> extends HostEntry<T> {
  readonly suffix: string;
}

/** Builds the index; each merged list is sorted with `order`. */
export function buildHostIndex<T>(
  items: readonly { readonly pattern: HostPattern; readonly value: T }[],
  order: (a: T, b: T) => number,
): HostIndex<T> {
  const exactOwn = new Map<string, T[]>();
  const wildcardOwn = new Map<string, T[]>();
  for (const { pattern, value } of items) {
    const own = pattern.kind === 'exact' ? exactOwn : wildcardOwn;
    const key = pattern.kind === 'exact' ? pattern.host : pattern.suffix;
    const values = own.get(key);
    if (values === undefined) own.set(key, [value]);
    else values.push(value);
  }
  // The wildcard values covering `host`: those of each of its proper parent suffixes.
  const covering = (host: string): T[] => {
    const found: T[] = [];
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const values = wildcardOwn.get(host.slice(dot + 1));
      if (values !== undefined) found.push(...values);
    }
    return found;
  };
  const merge = (own: T[], host: string) => Object.freeze([...own, ...covering(host)].sort(order));

  const exact = new Map<string, HostEntry<T>>();
  for (const [host, own] of exactOwn) {
    const pattern = Object.freeze({ kind: 'exact', host } as const);
    exact.set(host, Object.freeze({ pattern, values: merge(own, host) }));
  }
  const wildcard = new Map<number, WildcardEntry<T>[]>();
  for (const [suffix, own] of wildcardOwn) {
    const pattern = Object.freeze({ kind: 'wildcard', suffix } as const);
    const entry = Object.freeze({ pattern, suffix, values: merge(own, suffix) });
    const key = suffixKey(suffix, 0, suffix.indexOf('.'));
    const bucket = wildcard.get(key);
    if (bucket === undefined) wildcard.set(key, [entry]);
    else bucket.push(entry);
  }
  return Object.freeze({ exact, wildcard });
}

/**
 * The entry for a normalised request host: its exact entry, else the entry of its most specific
 * parent suffix that has wildcard values (which already holds every wildcard covering the host),
 * else undefined. The host itself is never looked up as a wildcard suffix: `*.example.com` does
 * not cover `example.com`. Allocates nothing.
 */
export function lookupHost<T>(index: HostIndex<T>, host: string): HostEntry<T> | undefined {
  const hit = index.exact.get(host);
  if (hit !== undefined || index.wildcard.size === 0) return hit;
  // Parent suffixes from the longest (most specific) down; the first one indexed wins. A suffix
  // of one label is never indexed, so the walk stops before the last label.
  const length = host.length;
  for (let dot = host.indexOf('.'); dot !== -1; ) {
    const start = dot + 1;
    const next = host.indexOf('.', start);
    if (next === -1) break;
    const bucket = index.wildcard.get(suffixKey(host, start, next));
    if (bucket !== undefined) {
      for (let b = 0; b < bucket.length; b++) {
        const entry = bucket[b];
        if (entry.suffix.length === length - start && host.endsWith(entry.suffix)) return entry;
      }
    }
    dot = next;
  }
  return undefined;
}

/**
 * The key of the suffix `text[start..]` whose first label ends at `labelEnd`: its length and the
 * hash of that label, kept within 30 bits so the key stays a small integer (no boxing as a Map
 * key). Two suffixes collide only with the same length and a colliding first label.
 */
function suffixKey(text: string, start: number, labelEnd: number): number {
  let key = text.length - start;
  for (let i = start; i < labelEnd; i++) key = (Math.imul(key, 31) + text.charCodeAt(i)) & 0x3fffffff;
  return key;
}
