/**
 * A shared informer over any list+watch (client-go's SharedInformer, client-node's ListWatch):
 * list, then watch from the list's resourceVersion, keeping an ObjectCache and telling handlers
 * what changed. The server (over the store, storage/list-watch.ts) and the clients (over HTTP,
 * client/informer.ts) use this one class, so they share one set of recovery rules:
 *
 * 1. Initial list, and every relist, diffs the new list against the cache and emits synthetic
 *    adds / updates / deletes for what changed meanwhile, so handlers never miss a transition
 *    (an object deleted while the watch was down arrives as a delete).
 * 2. A watch that ends with code 410 (Expired/Gone) → relist at once, RV cleared.
 * 3. A watch that ends normally (null: the server's timeoutSeconds) → watch again from the last RV.
 * 4. Any other failure (connection refused/reset, 5xx, 403, a closed store watch) → retry the same
 *    step after a capped exponential backoff (1s, 2s, 4s … 30s); the backoff resets on the first
 *    successful list or watch event.
 * 5. BOOKMARK events only move the RV forward.
 * 6. A handler that throws is logged and counted (`tmc_informer_handler_errors_total`), and the
 *    others and the watch go on.
 * 7. A first list that fails with an error the owner calls terminal (`isTerminal`: a Secret sealed
 *    with a key the server lacks) is not retried: the informer stops and `waitForSync` rejects
 *    with that error, so the process start fails naming the cause instead of waiting forever.
 * Time is injected (Clock). `stop()` ends the watch and cancels any pending retry.
 */
import { Counter } from 'prom-client';
import type { KubeObject } from '../apis/object.js';
import type { Logger } from '../observability/logger.js';
import { registry } from '../observability/metrics.js';
import { Backoff } from './backoff.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { ObjectCache, cacheKey, cacheKeyOf, type IndexFunc } from './object-cache.js';

export interface ListPage<T> { items: T[]; resourceVersion: string; continue?: string }

export interface InformerEvent<T> { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }

/**
 * Where an informer's objects come from. `watch` reports its end once through `onDone`: null when
 * it ended normally, an error (with `code: 410` when the RV is too old) otherwise; never after
 * `stop()`.
 */
export interface ListerWatcher<T> {
  list(page: { limit?: number; continue?: string }): Promise<ListPage<T>>;
  watch(resourceVersion: string, onEvent: (e: InformerEvent<T>) => void, onDone: (err: Error | null) => void): { stop(): void };
}

export interface EventHandlers<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface CoreInformerOptions<T extends KubeObject> {
  listWatch: ListerWatcher<T>;
  /** Names what is informed on in logs and metrics (`secrets`, `apps/deployments`). */
  resource: string;
  clock?: Clock;
  logger?: Logger;
  /** @default { initialMs: 1000, maxMs: 30000 } */
  backoff?: { initialMs?: number; maxMs?: number };
  /** List page size (0 = unpaged). @default 500 */
  pageSize?: number;
  /**
   * Applied to every object before it is cached or handed to handlers (client-go's
   * SetTransform): drop the fields a controller never reads so the cache does not hold them.
   * Must not change the object's identity (namespace, name, resourceVersion).
   */
  transform?(obj: T): T;
  /** The cache key; default `cluster|namespace|name` with the cluster from `kcp.io/cluster`. */
  keyOf?(obj: T): string;
  /** Observability hook: every failure the informer recovers from. */
  onError?(err: Error, phase: 'list' | 'watch'): void;
  /** Errors of the first list that retrying cannot fix (rule 7); default: none, every error is retried. */
  isTerminal?(err: Error): boolean;
}

const handlerErrors = new Counter({
  name: 'tmc_informer_handler_errors_total',
  help: 'Informer event handlers that threw (logged and skipped; the watch goes on), by resource.',
  labelNames: ['resource'],
  registers: [registry],
});

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new ObjectCache();
  private readonly handlers = new Set<EventHandlers<T>>();
  /** Keys whose cached object came from observe() and whose own watch event has not arrived. */
  private readonly observed = new Set<string>();
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly keyOf: (obj: T) => string;
  private resourceVersion = '';
  private synced = false;
  private started = false;
  private stopped = false;
  private watchHandle: { stop(): void } | undefined;
  /** Bumped on every new list/watch so callbacks of an abandoned attempt are ignored. */
  private generation = 0;
  private retryTimer: TimerHandle | undefined;
  private syncWaiters: Array<(synced: boolean) => void> = [];
  /** Why the first list gave up (rule 7). */
  private terminalError: Error | undefined;

  constructor(private readonly core: CoreInformerOptions<T>) {
    this.clock = core.clock ?? realClock;
    this.backoff = new Backoff(core.backoff?.initialMs ?? 1000, core.backoff?.maxMs ?? 30_000);
    this.keyOf = core.keyOf ?? cacheKeyOf;
  }

  /** Idempotent: a shared informer is started by whichever user comes first. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.relist();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    for (const w of this.syncWaiters.splice(0)) w(false);
  }

  /** True once the first list has filled the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true when synced, or false if the informer is stopped first; rejects with a terminal first-list error (rule 7). */
  async waitForSync(): Promise<boolean> {
    const synced = this.synced || (!this.stopped && await new Promise<boolean>((resolve) => this.syncWaiters.push(resolve)));
    if (!synced && this.terminalError) throw this.terminalError;
    return synced;
  }

  /** The RV the next watch will start from ('' = a relist is due). Exported for tests and debugging. */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Registers handlers; a late registration first receives adds for everything cached. Returns the unregistration. */
  addEventHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const obj of this.list()) this.safely(() => handlers.onAdd?.(obj));
    return () => this.handlers.delete(handlers);
  }

  /** Adds a secondary index; adding an existing name is a no-op, so sharing users may each ask for it. */
  addIndex(name: string, fn: (obj: T) => string[]): void {
    if (this.cache.hasIndex(name)) return;
    this.cache.addIndex(name, fn as IndexFunc);
  }

  /**
   * Read-your-writes: put an object this process has just written (the server's answer) into the
   * cache ahead of its watch event, so the next reconcile does not decide on what it has already
   * changed (client-go's IntegerResourceVersionMutationCache, folded into the cache). No handler
   * runs: the watch event follows and is delivered as usual. Ignored unless it is newer than the
   * cached object by integer resourceVersion (kcp's and etcd's are integers; an opaque one is
   * never compared).
   */
  observe(obj: T): void {
    const seen = this.shape(obj);
    const rv = integerRV(seen);
    if (rv === undefined) return;
    const key = this.keyOf(seen);
    const cached = this.cache.get(key);
    if (cached) {
      const cachedRV = integerRV(cached);
      if (cachedRV === undefined || cachedRV >= rv) return;
    }
    this.cache.set(key, seen);
    this.observed.add(key);
  }

  /** The object as this informer keeps it (after `transform`). */
  private shape(obj: T): T {
    return this.core.transform ? this.core.transform(obj) : obj;
  }

  countByIndex(name: string, value: string): number {
    return this.cache.countByIndex(name, value);
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value) as T[];
  }

  /** Every value of an index with how many cached objects have it. */
  indexCounts(name: string): IterableIterator<[string, number]> {
    return this.cache.indexCounts(name);
  }

  /** By cache key, `cluster|namespace|name` (see object-cache.ts) unless `keyOf` says otherwise. */
  getByKey(key: string): T | undefined {
    return this.cache.get(key) as T | undefined;
  }

  get(cluster: string, namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(cacheKey(cluster, namespace, name)) as T | undefined;
  }

  list(): T[] {
    return this.cache.list() as T[];
  }

  /** How many objects the cache holds. */
  get size(): number {
    return this.cache.size;
  }

  private async relist(): Promise<void> {
    const generation = ++this.generation;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.resourceVersion = '';
    let list: { items: T[]; resourceVersion: string };
    try {
      list = await this.listAllPages();
    } catch (err) {
      if (generation !== this.generation) return;
      const error = asError(err);
      if (!this.synced && this.core.isTerminal?.(error)) {
        this.terminalError = error;
        this.core.logger?.error({ resource: this.core.resource, err: error.message }, 'informer cannot list; not retrying');
        this.stop();
        return;
      }
      this.fail(error, 'list', () => void this.relist());
      return;
    }
    if (generation !== this.generation) return;
    this.backoff.reset();
    this.replace(list.items);
    this.resourceVersion = list.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
    this.watch();
  }

  private async listAllPages(): Promise<{ items: T[]; resourceVersion: string }> {
    const limit = this.core.pageSize ?? 500;
    const items: T[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.core.listWatch.list({ limit: limit || undefined, continue: token });
      if (!resourceVersion) resourceVersion = page.resourceVersion;
      items.push(...page.items);
      token = page.continue || undefined;
    } while (token && !this.stopped);
    return { items, resourceVersion };
  }

  private watch(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.watchHandle = this.core.listWatch.watch(this.resourceVersion, (event) => {
      if (generation === this.generation) this.onWatchEvent(event);
    }, (err) => {
      if (generation === this.generation) this.onWatchDone(err);
    });
  }

  private onWatchEvent(event: InformerEvent<T>): void {
    this.backoff.reset();
    const rv = event.object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const obj = this.shape(event.object);
    const key = this.keyOf(obj);
    const old = this.cache.get(key) as T | undefined;
    if (event.type === 'DELETED') {
      this.observed.delete(key);
      if (!old) return;
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(obj));
      return;
    }
    // An event older than what observe() put in the cache would roll it back until the newer
    // event arrives; that one follows and is delivered then.
    if (old && this.observed.has(key)) {
      const incoming = integerRV(obj);
      // observe() only caches objects with an integer resourceVersion
      if (incoming !== undefined && incoming < (integerRV(old) as bigint)) return;
      this.observed.delete(key);
    }
    this.cache.set(key, obj);
    if (!old) this.emit((h) => h.onAdd?.(obj));
    else this.emit((h) => h.onUpdate?.(old, obj));
  }

  private onWatchDone(err: Error | null): void {
    this.watchHandle = undefined;
    // Abandon this watch: nothing it still reports may trigger a second recovery.
    this.generation++;
    if (this.stopped) return;
    if (err === null) {
      // The server's timeout ended the stream: nothing is lost, resume where we were.
      this.watch();
    } else if ((err as { code?: unknown }).code === 410) {
      this.core.logger?.debug({ resource: this.core.resource, err: err.message }, 'watch expired, relisting');
      void this.relist();
    } else {
      this.fail(err, 'watch', () => this.watch());
    }
  }

  private fail(err: Error, phase: 'list' | 'watch', retry: () => void): void {
    if (this.stopped) return;
    this.core.onError?.(err, phase);
    const delay = this.backoff.next();
    this.core.logger?.warn({ resource: this.core.resource, phase, err: err.message, delayMs: delay }, 'informer retrying');
    const generation = this.generation;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && generation === this.generation) retry();
    }, delay);
  }

  /** Swap in a fresh list, emitting what differs from the cache (rule 1). */
  private replace(items: T[]): void {
    this.observed.clear();
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.shape(item);
      const key = this.keyOf(obj);
      seen.add(key);
      const old = this.cache.get(key) as T | undefined;
      this.cache.set(key, obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit((h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const gone = this.cache.get(key) as T;
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(gone));
    }
  }

  private emit(call: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) this.safely(() => call(h));
  }

  /** Rule 6: a throwing handler must not break the informer or the other handlers. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      handlerErrors.inc({ resource: this.core.resource });
      this.core.logger?.error({ err, resource: this.core.resource }, 'informer event handler threw');
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function integerRV(obj: KubeObject): bigint | undefined {
  const rv = obj.metadata?.resourceVersion;
  return rv && /^[0-9]{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}
