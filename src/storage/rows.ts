/**
 * The synchronous row layer under the memory and sqlite stores. Everything Kubernetes-shaped
 * (revisions in objects, preconditions, no-op updates, events, pagination) lives once in
 * LocalStore; a RowStore only keeps JSON text per key plus the revision counter, and makes each
 * write atomic (and, for sqlite, durable) before it returns.
 */
import type { KeyPrefix, ObjectKey } from './types.js';

export interface StoredRow {
  text: string;
  rv: number;
}

export interface ScannedRow {
  key: ObjectKey;
  text: string;
}

/** A position inside one resource; scans resume strictly after it. */
export type SortPoint = Pick<ObjectKey, 'cluster' | 'namespace' | 'name'>;

/** One write of a batch (see RowStore.applyBatch). */
export type RowWrite =
  | { kind: 'put'; key: ObjectKey; text: string; rv: number }
  | { kind: 'remove'; key: ObjectKey; rv: number };

export interface RowStore {
  /** The last revision written (0 for an empty store). */
  revision(): number;
  read(key: ObjectKey): StoredRow | undefined;
  /** Inserts or replaces the row and sets the revision counter to `rv`, as one atomic step. */
  put(key: ObjectKey, text: string, rv: number): void;
  /** Removes the row and sets the revision counter to `rv`, as one atomic step. */
  remove(key: ObjectKey, rv: number): void;
  /**
   * Applies the writes in order as one atomic (and, for sqlite, durable) transaction, then sets the
   * revision counter to the last one's revision. Offered by backends whose commit has a cost of
   * its own (sqlite): LocalStore then groups concurrent writers into one commit.
   */
  applyBatch?(writes: RowWrite[]): void;
  /** Rows under the prefix in (cluster, namespace, name) order, strictly after `after`. */
  scan(prefix: KeyPrefix, after?: SortPoint): Iterable<ScannedRow>;
  /** Every resource with at least one row, in order. */
  resourceNames(): string[];
  /** How many rows `scan` would yield. */
  count(prefix: KeyPrefix, after?: SortPoint): number;
  close(): void;
}
