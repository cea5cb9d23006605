/**
 * CachedRows: a RowStore decorator that keeps the committed text of recently read rows in memory,
 * so the point reads every request makes (a GET, the namespace check of every namespaced create,
 * the existence read of a write) do not go to sqlite each time. A B-tree seek through better-sqlite3
 * was a quarter of the CPU of serving a GET.
 *
 * It stays exact because every write goes through it (one process owns the database file, see
 * sqlite.ts): a row is cached only as read from the backend, and a write that commits replaces or
 * drops the cached entry of each key it touched, after the backend committed; a write that throws
 * (nothing committed) leaves the cache as it was. Queued writes of a group commit are not rows yet,
 * so reads keep answering the committed state, as LocalStore requires.
 *
 * Bounded by entries and by characters of text; the oldest inserted entry leaves first.
 */
import { keyString } from './keys.js';
import type { BulkTextRows } from './local-store.js';
import type { RowStore, RowWrite, ScannedRow, SortPoint, StoredRow } from './rows.js';
import type { KeyPrefix, ObjectKey } from './types.js';

export interface RowCacheLimits {
  /** Rows kept at most (default 2 048). */
  maxEntries?: number;
  /** Characters of row text kept at most (default 4 Mi). */
  maxChars?: number;
}

export class CachedRows implements RowStore, Partial<BulkTextRows> {
  private readonly rows = new Map<string, StoredRow>();
  private chars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;
  readonly applyBatch?: (writes: RowWrite[]) => void;
  readonly texts?: (prefix: KeyPrefix) => string[];

  constructor(private readonly inner: RowStore & Partial<BulkTextRows>, limits: RowCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 2048;
    this.maxChars = limits.maxChars ?? 4 * 1024 * 1024;
    // offered only when the backend has them, as LocalStore decides by their presence
    if (inner.applyBatch) {
      const apply = inner.applyBatch.bind(inner);
      this.applyBatch = (writes) => {
        apply(writes);
        for (const w of writes) this.forget(keyString(w.key));
      };
    }
    if (inner.texts) this.texts = inner.texts.bind(inner);
  }

  revision(): number { return this.inner.revision(); }

  read(key: ObjectKey): StoredRow | undefined {
    const k = keyString(key);
    const hit = this.rows.get(k);
    if (hit) return hit;
    const row = this.inner.read(key);
    if (row) this.remember(k, row);
    return row;
  }

  put(key: ObjectKey, text: string, rv: number): void {
    this.inner.put(key, text, rv);
    this.forget(keyString(key));
  }

  remove(key: ObjectKey, rv: number): void {
    this.inner.remove(key, rv);
    this.forget(keyString(key));
  }

  scan(prefix: KeyPrefix, after?: SortPoint): Iterable<ScannedRow> { return this.inner.scan(prefix, after); }
  resourceNames(): string[] { return this.inner.resourceNames(); }
  count(prefix: KeyPrefix, after?: SortPoint): number { return this.inner.count(prefix, after); }

  close(): void {
    this.rows.clear();
    this.chars = 0;
    this.inner.close();
  }

  /** Rows cached now (for tests). */
  get size(): number { return this.rows.size; }

  private remember(k: string, row: StoredRow): void {
    if (row.text.length > this.maxChars) return;
    this.rows.set(k, row);
    this.chars += row.text.length;
    while (this.rows.size > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.rows.keys().next().value as string;
      this.forget(oldest);
    }
  }

  /**
   * A written key leaves the cache rather than taking the new text: the next read loads it once,
   * and writes to keys nobody reads (most creates) cost no cache entry.
   */
  private forget(k: string): void {
    const row = this.rows.get(k);
    if (!row) return;
    this.rows.delete(k);
    this.chars -= row.text.length;
  }
}
