/**
 * A shared informer: list, then watch from the list's resourceVersion, keeping an ObjectCache and
 * telling handlers what changed. The recovery rules are explicit (client-node ListWatch's, made
 * testable with an injected Clock):
 *
 * 1. Initial list, and every relist, diffs the new list against the cache and emits synthetic
 *    adds / updates / deletes for what changed meanwhile, so handlers never miss a transition.
 * 2. An ERROR event or a response with code 410 (Expired/Gone) → relist at once, RV cleared.
 * 3. The watch stream ends normally (the server's timeoutSeconds) → watch again from the last RV.
 * 4. Any other failure (connection refused/reset, 5xx, 403, a non-410 ERROR event) → retry the
 *    same step after a capped exponential backoff (1s, 2s, 4s … 30s); the backoff resets on the
 *    first successful list or watch event.
 * 5. BOOKMARK events only move the RV forward.
 * `stop()` ends the watch and cancels any pending retry.
 */
import type { Logger } from '../observability/logger.js';
import { Backoff } from './backoff.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { watchEventError } from './kube-client.js';
import { ObjectCache, cacheKey, cacheKeyOf, type IndexFunc } from './object-cache.js';
import type { GroupVersionResource } from './resource-path.js';
import type { KubeList, KubeObject, ListOptions, WatchDone, WatchEvent, WatchHandle, WatchOptions } from './types.js';

/** The two calls an informer needs; KubeClient provides them. */
export interface ListWatchSource {
  list(gvr: GroupVersionResource, opts: ListOptions): Promise<KubeList>;
  watch(gvr: GroupVersionResource, opts: WatchOptions, onEvent: (e: WatchEvent) => void, onDone: WatchDone): WatchHandle;
}

export interface EventHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  source: ListWatchSource;
  gvr: GroupVersionResource;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  logger?: Logger;
  /** @default { initialMs: 1000, maxMs: 30000 } */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Asked of the server per watch; it ends the stream after this. @default 300 */
  watchTimeoutSeconds?: number;
  /** List page size (0 = unpaged). @default 500 */
  pageSize?: number;
  /**
   * Applied to every object before it is cached or handed to handlers (client-go's
   * SetTransform): drop the fields a controller never reads so the cache does not hold them.
   * Must not change the object's identity (namespace, name, resourceVersion).
   */
  transform?(obj: KubeObject): KubeObject;
  /** Observability hook: every failure the informer recovers from. */
  onError?(err: Error, phase: 'list' | 'watch'): void;
}

export class Informer {
  private readonly cache = new ObjectCache();
  private readonly handlers = new Set<EventHandlers>();
  /** Keys whose cached object came from observe() and whose own watch event has not arrived. */
  private readonly observed = new Set<string>();
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private resourceVersion = '';
  private synced = false;
  private started = false;
  private stopped = false;
  private watchHandle: WatchHandle | undefined;
  /** Bumped on every new list/watch so callbacks of an abandoned attempt are ignored. */
  private generation = 0;
  private retryTimer: TimerHandle | undefined;
  private syncWaiters: Array<(synced: boolean) => void> = [];

  constructor(private readonly opts: InformerOptions) {
    this.clock = opts.clock ?? realClock;
    this.backoff = new Backoff(opts.backoff?.initialMs ?? 1000, opts.backoff?.maxMs ?? 30_000);
  }

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

  /** Resolves true when synced, or false if the informer is stopped first. */
  waitForSync(): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The RV the next watch will start from ('' = a relist is due). Exported for tests and debugging. */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Registers handlers; a late registration first receives adds for everything cached. */
  addEventHandler(handlers: EventHandlers): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const obj of this.cache.list()) safely(this.opts.logger, () => handlers.onAdd?.(obj));
    return () => this.handlers.delete(handlers);
  }

  addIndex(name: string, fn: IndexFunc): void {
    this.cache.addIndex(name, fn);
  }

  /**
   * Read-your-writes: put an object this process has just written (the server's answer) into the
   * cache ahead of its watch event, so the next reconcile does not decide on what it has already
   * changed (client-go's IntegerResourceVersionMutationCache, folded into the cache). No handler
   * runs: the watch event follows and is delivered as usual. Ignored unless it is newer than the
   * cached object by integer resourceVersion (kcp's and etcd's are integers; an opaque one is
   * never compared).
   */
  observe(obj: KubeObject): void {
    const seen = this.shape(obj);
    const rv = integerRV(seen);
    if (rv === undefined) return;
    const key = cacheKeyOf(seen);
    const cached = this.cache.get(key);
    if (cached) {
      const cachedRV = integerRV(cached);
      if (cachedRV === undefined || cachedRV >= rv) return;
    }
    this.cache.set(key, seen);
    this.observed.add(key);
  }

  /** The object as this informer keeps it (after `transform`). */
  private shape(obj: KubeObject): KubeObject {
    return this.opts.transform ? this.opts.transform(obj) : obj;
  }

  countByIndex(name: string, value: string): number {
    return this.cache.countByIndex(name, value);
  }

  byIndex(name: string, value: string): KubeObject[] {
    return this.cache.byIndex(name, value);
  }

  /** By cache key, `cluster|namespace|name` (see object-cache.ts). */
  getByKey(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  get(cluster: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache.get(cacheKey(cluster, namespace, name));
  }

  list(): KubeObject[] {
    return this.cache.list();
  }

  private async relist(): Promise<void> {
    const generation = ++this.generation;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.resourceVersion = '';
    let list: { items: KubeObject[]; resourceVersion: string };
    try {
      list = await this.listAllPages();
    } catch (err) {
      if (generation !== this.generation) return;
      this.fail(asError(err), 'list', () => void this.relist());
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

  private async listAllPages(): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const { gvr, namespace, labelSelector, fieldSelector } = this.opts;
    const limit = this.opts.pageSize ?? 500;
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.opts.source.list(gvr, {
        namespace, labelSelector, fieldSelector, limit: limit || undefined, continue: token,
      });
      if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
      items.push(...page.items);
      token = page.metadata?.continue || undefined;
    } while (token && !this.stopped);
    return { items, resourceVersion };
  }

  private watch(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    const { gvr, namespace, labelSelector, fieldSelector } = this.opts;
    this.watchHandle = this.opts.source.watch(gvr, {
      namespace, labelSelector, fieldSelector, resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true, timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
    }, (event) => {
      if (generation === this.generation) this.onWatchEvent(event);
    }, (err) => {
      if (generation === this.generation) this.onWatchDone(err);
    });
  }

  private onWatchEvent(event: WatchEvent): void {
    if (event.type === 'ERROR') {
      const err = watchEventError(event);
      this.watchHandle?.stop();
      this.watchHandle = undefined;
      // Abandon this watch: a source that still reports its end must not trigger a second retry.
      this.generation++;
      if (err.code === 410) {
        this.opts.logger?.debug({ resource: this.opts.gvr.resource, err: err.message }, 'watch expired, relisting');
        void this.relist();
      } else {
        this.fail(err, 'watch', () => this.watch());
      }
      return;
    }
    this.backoff.reset();
    const rv = event.object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const obj = this.shape(event.object);
    const key = cacheKeyOf(obj);
    const old = this.cache.get(key);
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
    if (this.stopped) return;
    if (err === null) {
      // The server's timeout ended the stream: nothing is lost, resume where we were.
      this.watch();
    } else if ((err as { code?: unknown }).code === 410) {
      void this.relist();
    } else {
      this.fail(err, 'watch', () => this.watch());
    }
  }

  private fail(err: Error, phase: 'list' | 'watch', retry: () => void): void {
    if (this.stopped) return;
    this.opts.onError?.(err, phase);
    const delay = this.backoff.next();
    this.opts.logger?.warn({ resource: this.opts.gvr.resource, phase, err: err.message, delayMs: delay }, 'informer retrying');
    const generation = this.generation;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && generation === this.generation) retry();
    }, delay);
  }

  /** Swap in a fresh list, emitting what differs from the cache (rule 1). */
  private replace(items: KubeObject[]): void {
    this.observed.clear();
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.shape(item);
      const key = cacheKeyOf(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit((h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const gone = this.cache.get(key) as KubeObject;
      this.cache.delete(key);
      this.emit((h) => h.onDelete?.(gone));
    }
  }

  private emit(call: (h: EventHandlers) => void): void {
    for (const h of this.handlers) safely(this.opts.logger, () => call(h));
  }
}

/** A throwing handler is logged and skipped; it must not break the informer or other handlers. */
function safely(logger: Logger | undefined, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    logger?.error({ err }, 'informer event handler threw');
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function integerRV(obj: KubeObject): bigint | undefined {
  const rv = obj.metadata?.resourceVersion;
  return rv && /^[0-9]{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}
