/**
 * How a full map makes room: `fifo` drops the entry inserted first (a read costs what `Map.get`
 * costs); `lru` drops the one read or written least recently (every hit moves the entry: a delete
 * and a set), for caches where a busy key must outlive a flood of new ones.
 */
export type EvictionPolicy = 'fifo' | 'lru';

/** Counts evictions; several maps can share one (a map per identity, one count for all). */
export class EvictionCounter {
  count = 0;
}

const NONE = Symbol('none');

/**
 * A `Map` that never holds more than `maxSize` entries: inserting a new key into a full map evicts
 * one entry by its policy and counts it. Eviction is O(1): a cursor walks the keys oldest first
 * and is kept between evictions (a Map iterator sees later insertions and skips deleted entries,
 * so every live entry is at or after it; a fresh iterator per eviction would rescan the deleted
 * slots, about 12 µs at 50k entries). Values must not be `undefined`.
 */
export class BoundedMap<K, V> {
  readonly evictions: EvictionCounter;
  private readonly map = new Map<K, V>();
  private readonly lru: boolean;
  private cursor: MapIterator<K> | null = null;
  /** The oldest key, taken from the cursor and not evicted yet (or NONE). */
  private front: K | typeof NONE = NONE;

  constructor(
    readonly maxSize: number,
    options: { policy?: EvictionPolicy; evictions?: EvictionCounter } = {},
  ) {
    if (!(maxSize >= 1)) throw new RangeError(`a bounded map holds at least one entry, not ${maxSize}`);
    this.lru = options.policy === 'lru';
    this.evictions = options.evictions ?? new EvictionCounter();
  }

  get size(): number {
    return this.map.size;
  }

  /** The value of `key` (under `lru`, the entry becomes the most recently used). */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (this.lru && value !== undefined) this.moveToBack(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets `key`, evicting one entry first if the key is new and the map is full. */
  set(key: K, value: V): this {
    if (this.map.has(key)) {
      if (this.lru) this.moveToBack(key, value);
      else this.map.set(key, value);
      return this;
    }
    if (this.map.size >= this.maxSize) {
      this.map.delete(this.oldest() as K);
      this.front = NONE;
      this.evictions.count++;
    }
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (key === this.front) this.front = NONE;
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.cursor = null;
    this.front = NONE;
  }

  /**
   * Deletes entries from the oldest end while `stale` says so, and stops at the first it keeps:
   * entries that no longer matter (expired, idle), dropped cheaply when insertion (or use) order is
   * also the order they go stale in. Not counted as evictions. Returns how many were dropped.
   */
  dropOldestWhile(stale: (value: V, key: K) => boolean): number {
    let dropped = 0;
    for (let key = this.oldest(); key !== NONE && stale(this.map.get(key) as V, key); key = this.oldest()) {
      this.map.delete(key);
      this.front = NONE;
      dropped++;
    }
    return dropped;
  }

  values(): MapIterator<V> {
    return this.map.values();
  }

  entries(): MapIterator<[K, V]> {
    return this.map.entries();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map.entries();
  }

  private moveToBack(key: K, value: V): void {
    if (key === this.front) this.front = NONE;
    this.map.delete(key);
    this.map.set(key, value);
  }

  /** The oldest live key, or NONE when empty. */
  private oldest(): K | typeof NONE {
    if (this.front !== NONE) return this.front;
    let next = this.cursor?.next();
    if (next === undefined || next.done) {
      this.cursor = this.map.keys();
      next = this.cursor.next();
    }
    this.front = next.done ? NONE : next.value;
    return this.front;
  }
}
