/**
 * A Store wrapper that counts the operations made under one namespace, so a test can assert how
 * many reads, lists and writes a request costs (a cost that must stay linear in the number of
 * objects is a count, not a timing). Watches are passed through uncounted.
 */
import type { KeyPrefix, ObjectKey, Store } from '../../src/storage/types.js';

export interface OperationCounts { get: number; list: number; write: number }

export interface CountingStore extends Store {
  /** Counts of operations on keys in `namespace` since the last reset. */
  counts(): OperationCounts;
  reset(): void;
}

export function countingStore(inner: Store, namespace: string): CountingStore {
  let c: OperationCounts = { get: 0, list: 0, write: 0 };
  const mine = (k: ObjectKey | KeyPrefix) => k.namespace === namespace;
  const read = (k: ObjectKey) => { if (mine(k)) c.get++; };
  const listed = (p: KeyPrefix) => { if (mine(p)) c.list++; };
  const wrote = (k: ObjectKey) => { if (mine(k)) c.write++; };
  return {
    get backend() { return inner.backend; },
    get: (k) => { read(k); return inner.get(k); },
    list: (p, o) => { listed(p); return inner.list(p, o); },
    ...(inner.getRaw ? { getRaw: (k: ObjectKey) => { read(k); return inner.getRaw!(k); } } : {}),
    ...(inner.listRaw ? { listRaw: (p: KeyPrefix, o?: Parameters<NonNullable<Store['listRaw']>>[1]) => { listed(p); return inner.listRaw!(p, o); } } : {}),
    create: (k, o) => { wrote(k); return inner.create(k, o); },
    update: (k, n, p) => { wrote(k); return inner.update(k, n, p); },
    delete: (k, p) => { wrote(k); return inner.delete(k, p); },
    watch: (p, o, h) => inner.watch(p, o, h),
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
    counts: () => ({ ...c }),
    reset: () => { c = { get: 0, list: 0, write: 0 }; },
  };
}
