/** A size-bounded LRU map (Map keeps insertion order; a hit moves the entry to the back). */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(readonly maxSize: number) {
    if (!(maxSize >= 1)) throw new RangeError('LruCache maxSize must be at least 1');
  }

  get size(): number { return this.#map.size; }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) { this.misses++; return undefined; }
    this.hits++;
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.maxSize) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
    }
  }

  has(key: K): boolean { return this.#map.has(key); }
  delete(key: K): boolean { return this.#map.delete(key); }
  clear(): void { this.#map.clear(); }
}
