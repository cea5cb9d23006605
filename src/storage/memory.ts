/**
 * MemoryStore: the Store kept in this process's memory (tests, `--storage memory`). Nothing
 * survives a restart. Rows are JSON text, so callers can never reach into stored state through an
 * object they were given.
 */
import { keyMatchesPrefix, sortKey } from './keys.js';
import { LocalStore, type LocalStoreOptions } from './local-store.js';
import type { RowStore, ScannedRow, SortPoint, StoredRow } from './rows.js';
import type { KeyPrefix, ObjectKey } from './types.js';

interface MemoryRow extends StoredRow {
  key: ObjectKey;
}

/** One resource's rows, with their sort keys kept sorted so scans and pagination are ordered. */
class ResourceRows {
  readonly byKey = new Map<string, MemoryRow>();
  readonly sorted: string[] = [];

  /** Index of the first sort key strictly greater than `k`. */
  upperBound(k: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] <= k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first sort key greater than or equal to `k`. */
  lowerBound(k: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class MemoryRows implements RowStore {
  private rev = 0;
  private readonly resources = new Map<string, ResourceRows>();

  revision(): number { return this.rev; }

  read(key: ObjectKey): StoredRow | undefined {
    return this.resources.get(key.resource)?.byKey.get(sortKey(key));
  }

  put(key: ObjectKey, text: string, rv: number): void {
    let res = this.resources.get(key.resource);
    if (!res) this.resources.set(key.resource, (res = new ResourceRows()));
    const sk = sortKey(key);
    if (!res.byKey.has(sk)) res.sorted.splice(res.lowerBound(sk), 0, sk);
    res.byKey.set(sk, { key: { ...key }, text, rv });
    this.rev = rv;
  }

  remove(key: ObjectKey, rv: number): void {
    const res = this.resources.get(key.resource);
    const sk = sortKey(key);
    if (res?.byKey.delete(sk)) res.sorted.splice(res.lowerBound(sk), 1);
    this.rev = rv;
  }

  *scan(prefix: KeyPrefix, after?: SortPoint): Iterable<ScannedRow> {
    const res = this.resources.get(prefix.resource);
    if (!res) return;
    // Jump to the first key that can match: the cluster (and namespace) are leading sort fields.
    let lead = '';
    if (prefix.cluster !== '*') {
      lead = `${prefix.cluster}\u0000`;
      if (prefix.namespace) lead += `${prefix.namespace}\u0000`;
    }
    let i = res.lowerBound(lead);
    if (after) i = Math.max(i, res.upperBound(sortKey(after)));
    for (; i < res.sorted.length; i++) {
      const sk = res.sorted[i];
      if (lead && !sk.startsWith(lead)) return;
      const row = res.byKey.get(sk)!;
      if (keyMatchesPrefix(row.key, prefix)) yield { key: row.key, text: row.text };
    }
  }

  resourceNames(): string[] {
    return [...this.resources.entries()].filter(([, rows]) => rows.sorted.length > 0).map(([r]) => r).sort();
  }

  count(prefix: KeyPrefix, after?: SortPoint): number {
    let n = 0;
    for (const _ of this.scan(prefix, after)) n++;
    return n;
  }

  close(): void {
    this.resources.clear();
  }
}

export class MemoryStore extends LocalStore {
  constructor(opts: LocalStoreOptions = {}) {
    super('memory', new MemoryRows(), opts);
  }
}
