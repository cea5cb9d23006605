/**
 * A Store wrapper whose watches a test can break: `breakWatches()` closes every open watch with an
 * error (as an etcd restart or a watcher that fell behind does) and refuses new ones until
 * `heal()`; `heal({ expired: true })` answers 410 to watches resuming from before the heal (as if
 * the history had been compacted meanwhile), so recovery must relist.
 */
import { StatusError } from '../../src/errors/status.js';
import type { Store, Watcher, WatchHandlers } from '../../src/storage/types.js';

export interface FlakyStore extends Store {
  breakWatches(): void;
  heal(opts?: { expired?: boolean }): Promise<void>;
  /** Watches open now. */
  openWatches(): number;
}

export function flakyStore(inner: Store): FlakyStore {
  const open = new Set<{ watcher: Watcher; handlers: WatchHandlers }>();
  let down = false;
  let expiredBelow = 0n;
  return {
    get backend() { return inner.backend; },
    get: (k) => inner.get(k),
    list: (p, o) => inner.list(p, o),
    ...(inner.getRaw ? { getRaw: (k: Parameters<NonNullable<Store['getRaw']>>[0]) => inner.getRaw!(k) } : {}),
    ...(inner.listRaw ? { listRaw: (p: Parameters<NonNullable<Store['listRaw']>>[0], o?: Parameters<NonNullable<Store['listRaw']>>[1]) => inner.listRaw!(p, o) } : {}),
    create: (k, o) => inner.create(k, o),
    update: (k, n, p) => inner.update(k, n, p),
    delete: (k, p) => inner.delete(k, p),
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
    watch(prefix, opts, handlers) {
      if (down) throw new StatusError(503, 'ServiceUnavailable', 'watches are down (test)');
      if (opts.resourceVersion && BigInt(opts.resourceVersion) < expiredBelow) throw new StatusError(410, 'Expired', 'too old resource version (test)');
      const entry = { watcher: undefined as unknown as Watcher, handlers };
      entry.watcher = inner.watch(prefix, opts, {
        onEvent: (ev) => handlers.onEvent(ev),
        onClose: (reason) => { open.delete(entry); handlers.onClose?.(reason); },
      });
      open.add(entry);
      return { stop: () => { open.delete(entry); entry.watcher.stop(); } };
    },
    breakWatches() {
      down = true;
      for (const e of [...open]) {
        open.delete(e);
        e.watcher.stop();
        e.handlers.onClose?.(new Error('watch closed (test)'));
      }
    },
    async heal(o = {}) {
      if (o.expired) expiredBelow = BigInt(await inner.currentResourceVersion());
      down = false;
    },
    openWatches: () => open.size,
  };
}
