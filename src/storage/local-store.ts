/**
 * The Store semantics for backends that live in this process (memory, sqlite), written once over
 * a synchronous RowStore. Because the row layer is synchronous and JavaScript runs one thing at a
 * time, a read-modify-write with a synchronous UpdateFn is atomic without locks; an async UpdateFn
 * is run optimistically and retried if the row changed while it was awaited (as kube's
 * GuaranteedUpdate does against etcd).
 *
 * Every committed write is appended to the watch cache right after its commit, so the cache sees
 * revisions in order.
 *
 * A write serializes its object once and parses the stored text once (for the watch event, which
 * must not share anything with the caller). `create` and `update` return the object the caller
 * gave (or its UpdateFn produced) stamped with the new revision — a shallow copy of it, still the
 * caller's to mutate, and never the event's — instead of parsing the text a second time.
 *
 * Group commit: when the row store offers `applyBatch` (sqlite), writes are queued and committed
 * together once the writers of this event-loop turn have queued theirs (setImmediate), in one
 * transaction; each writer resolves, and its event goes out, only after that commit, so an
 * acknowledged write is exactly as durable as before. Reads, lists and the revision they report
 * see committed rows only. A writer whose key has a write queued waits for that commit and then
 * starts over on the committed row, so nothing is ever built on a write that might still fail; a
 * failed commit fails every write in it and hands its revisions out again.
 */
import {
  alreadyExists, conflict, expired, internalError, isStatusError, notFound, serviceUnavailable,
} from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { checkListRevision } from './consistency.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { groupResourceOf, keyString } from './keys.js';
import {
  assertStorable, checkPreconditions, isPromiseLike, withResourceVersion,
} from './preconditions.js';
import { parseRevision } from './revision.js';
import type { RowStore, RowWrite, SortPoint } from './rows.js';
import { equalIgnoringResourceVersion } from './semantic-equal.js';
import type {
  KeyPrefix, KubeObject, ListOptions, ListResult, ObjectKey, Preconditions, RawListResult, Store,
  UpdateFn, WatchEventType, WatchHandlers, WatchOptions, Watcher,
} from './types.js';
import { WatchCache } from './watch-cache.js';
import { stringifyJSON } from '../machinery/json-text.js';

function pickAll<T>(texts: string[], pick: (text: string) => T | undefined): T[] {
  const out: T[] = [];
  for (const text of texts) {
    const item = pick(text);
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** How often an async UpdateFn is retried when the object keeps changing under it. */
const MAX_UPDATE_ATTEMPTS = 16;

/**
 * A row store may also read all texts under a prefix at once (sqlite: one statement returning
 * only the value column). Unpaged lists use it; paged ones need each row's key and use scan.
 */
export interface BulkTextRows {
  texts(prefix: KeyPrefix): string[];
}

/** A list page of any item representation (parsed objects or stored text). */
type Paged<T> = Omit<ListResult, 'items'> & { items: T[] };

export interface LocalStoreOptions {
  /** Events kept for resuming watches (default 10 000). */
  historySize?: number;
  logger?: Logger;
}

/** A queued write with what to do once it committed. */
interface QueuedWrite {
  write: RowWrite;
  emit: () => void;
  done: () => void;
  fail: (err: unknown) => void;
}

export class LocalStore implements Store {
  protected readonly cache: WatchCache;
  private closed = false;
  protected readonly log?: Logger;
  /** The last revision handed to a write, committed or queued. */
  private allocated: number;
  /** Writes waiting for the next group commit, in revision order (only with `applyBatch`). */
  private queue: QueuedWrite[] = [];
  /** Sort keys of the queued writes. */
  private readonly queuedKeys = new Set<string>();
  /** Settles when the queued writes have committed or failed. */
  private batchDone?: Promise<void>;
  private releaseBatch?: () => void;

  constructor(
    readonly backend: 'memory' | 'sqlite',
    private readonly rows: RowStore & Partial<BulkTextRows>,
    opts: LocalStoreOptions = {},
  ) {
    this.log = opts.logger;
    this.cache = new WatchCache({ capacity: opts.historySize, startRevision: rows.revision(), logger: opts.logger });
    this.allocated = rows.revision();
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    this.assertOpen();
    const row = this.rows.read(key);
    return row ? (JSON.parse(row.text) as KubeObject) : undefined;
  }

  /** The stored text already carries metadata.resourceVersion, so it is the object as `get` returns it. */
  async getRaw(key: ObjectKey): Promise<string | undefined> {
    this.assertOpen();
    return this.rows.read(key)?.text;
  }

  async list(prefix: KeyPrefix, opts: ListOptions = {}): Promise<ListResult> {
    const filter = opts.filter;
    return this.collect(prefix, opts, (text) => {
      const obj = JSON.parse(text) as KubeObject;
      return !filter || filter(obj) ? obj : undefined;
    });
  }

  /** As list, but items stay stored text: only a filter makes us parse, and nothing is re-serialized. */
  async listRaw(prefix: KeyPrefix, opts: ListOptions = {}): Promise<RawListResult> {
    const filter = opts.filter;
    return this.collect(prefix, opts, filter
      ? (text) => (filter(JSON.parse(text) as KubeObject) ? text : undefined)
      : (text) => text);
  }

  async resourcesIn(cluster: string): Promise<string[]> {
    this.assertOpen();
    return this.rows.resourceNames().filter((resource) => {
      for (const _ of this.rows.scan({ cluster, resource })) return true;
      return false;
    });
  }

  /**
   * The one list algorithm (consistency check, pagination, remaining count) over rows in key
   * order; `pick` turns a row's text into an item, or undefined when the filter drops it.
   */
  private collect<T>(prefix: KeyPrefix, opts: ListOptions, pick: (text: string) => T | undefined): Paged<T> {
    this.assertOpen();
    let servedAt = this.rows.revision();
    let after: SortPoint | undefined;
    if (opts.continue) {
      // Later pages come from current data (only the latest state is kept). Keys are visited in
      // order, so every object that exists throughout the list is returned exactly once; the list
      // reports the first page's revision so a watch from it replays whatever changed meanwhile.
      const point = decodeContinue(opts.continue);
      servedAt = point.revision;
      after = point.after;
    } else {
      checkListRevision(opts, servedAt);
    }
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : undefined;
    if (limit === undefined && !after && this.rows.texts) {
      return { items: pickAll(this.rows.texts(prefix), pick), resourceVersion: String(servedAt) };
    }
    const items: T[] = [];
    let last: SortPoint | undefined;
    let more = false;
    for (const row of this.rows.scan(prefix, after)) {
      if (limit !== undefined && items.length === limit) {
        more = true;
        break;
      }
      const item = pick(row.text);
      if (item === undefined) continue;
      items.push(item);
      last = row.key;
    }
    const result: Paged<T> = { items, resourceVersion: String(servedAt) };
    if (more && last) {
      result.continue = encodeContinue({ revision: servedAt, after: last });
      // kube only counts the rest when no selector hides part of it.
      if (!opts.filter) result.remainingItemCount = this.rows.count(prefix, last);
    }
    return result;
  }

  async create(key: ObjectKey, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    assertStorable(obj, key);
    for (let queued; (queued = this.queuedWrite(key)); ) await queued;
    this.assertOpen();
    if (this.rows.read(key)) throw alreadyExists(groupResourceOf(key.resource), key.name);
    const rv = ++this.allocated;
    const stored = withResourceVersion(obj, rv);
    const text = stringifyJSON(stored);
    await this.commit({ kind: 'put', key, text, rv }, () => this.emitStored('ADDED', key, text, undefined, rv));
    return stored;
  }

  async update(key: ObjectKey, next: KubeObject | UpdateFn, preconditions?: Preconditions): Promise<KubeObject> {
    this.assertOpen();
    const gr = groupResourceOf(key.resource);
    for (let attempt = 1; ; attempt++) {
      for (let queued; (queued = this.queuedWrite(key)); ) await queued;
      this.assertOpen();
      const row = this.rows.read(key);
      if (!row) throw notFound(gr, key.name);
      const current = JSON.parse(row.text) as KubeObject;
      checkPreconditions(key, current, preconditions);
      let candidate: KubeObject;
      if (typeof next === 'function') {
        // The transform gets its own copy: it may mutate it, and `current` must stay pristine
        // for the no-op comparison and the event's prevObject.
        const out = next(JSON.parse(row.text) as KubeObject);
        if (isPromiseLike(out)) {
          candidate = await out;
          this.assertOpen();
          if (this.queuedWrite(key) || this.rows.read(key)?.rv !== row.rv) {
            if (attempt >= MAX_UPDATE_ATTEMPTS) throw conflict(gr, key.name, 'too many concurrent updates; try again');
            continue;
          }
        } else {
          candidate = out;
        }
      } else {
        candidate = next;
      }
      assertStorable(candidate, key);
      if (equalIgnoringResourceVersion(candidate, current)) return current;
      const rv = ++this.allocated;
      const stored = withResourceVersion(candidate, rv);
      const text = stringifyJSON(stored);
      await this.commit({ kind: 'put', key, text, rv }, () => this.emitStored('MODIFIED', key, text, current, rv));
      return stored;
    }
  }

  async delete(key: ObjectKey, preconditions?: Preconditions): Promise<KubeObject> {
    this.assertOpen();
    for (let queued; (queued = this.queuedWrite(key)); ) await queued;
    this.assertOpen();
    const row = this.rows.read(key);
    if (!row) throw notFound(groupResourceOf(key.resource), key.name);
    const current = JSON.parse(row.text) as KubeObject;
    checkPreconditions(key, current, preconditions);
    const rv = ++this.allocated;
    await this.commit({ kind: 'remove', key, rv }, () => this.emit('DELETED', key, withResourceVersion(current, rv), current, rv));
    const last = JSON.parse(row.text) as KubeObject;
    last.metadata.resourceVersion = String(rv);
    return last;
  }

  watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
    // Nothing above the current revision will ever be written by anyone else: a client holding
    // one saw another incarnation of the store (a memory store before a restart, a wiped data
    // dir). 410 makes every client relist; kube's 504 "too large" would make client-node retry
    // the same revision forever.
    const from = parseRevision(opts.resourceVersion);
    const current = this.rows.revision();
    if (from !== undefined && from > current) {
      throw expired(`resource version ${from} is newer than the store's latest (${current}); the store was reset, relist`);
    }
    return this.cache.watch(prefix, opts, handlers);
  }

  async currentResourceVersion(): Promise<string> {
    this.assertOpen();
    return String(this.rows.revision());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush(); // queued writes were accepted while open: commit them before the rows go
    this.closed = true;
    this.cache.close();
    this.rows.close();
  }

  /** Watchers of this store (for metrics and tests). */
  get watcherCount(): number { return this.cache.watcherCount; }

  private emit(type: WatchEventType, key: ObjectKey, object: KubeObject, prevObject: KubeObject | undefined, rv: number): void {
    this.cache.append({ type, key, object, prevObject, resourceVersion: String(rv) });
  }

  /**
   * An event whose object is the stored text, parsed the first time someone reads it: a write
   * to a resource nobody watches (or whose watchers' filters end at the key) never parses it, and
   * the watch history holds the text until then, and the object (not both) after.
   */
  private emitStored(type: WatchEventType, key: ObjectKey, stored: string, prevObject: KubeObject | undefined, rv: number): void {
    let text: string | undefined = stored;
    let parsed: KubeObject | undefined;
    this.cache.append({
      type, key, prevObject, resourceVersion: String(rv),
      get object(): KubeObject {
        if (parsed === undefined) {
          parsed = JSON.parse(text!) as KubeObject;
          text = undefined;
        }
        return parsed;
      },
    });
  }

  /**
   * Commits one write and then runs `emit`. Without `applyBatch` the row store writes at once; with
   * it the write joins the queue committed by flush(), and this resolves after that commit.
   */
  private commit(write: RowWrite, emit: () => void): Promise<void> | void {
    if (!this.rows.applyBatch) {
      this.writeRows(() => {
        if (write.kind === 'put') this.rows.put(write.key, write.text, write.rv);
        else this.rows.remove(write.key, write.rv);
      });
      emit();
      return;
    }
    if (this.queue.length === 0) {
      this.batchDone = new Promise((resolve) => { this.releaseBatch = resolve; });
      setImmediate(() => this.flush());
    }
    this.queuedKeys.add(keyString(write.key));
    return new Promise((done, fail) => this.queue.push({ write, emit, done, fail }));
  }

  /** Commits the queued writes as one transaction, then emits their events and resolves them, in order. */
  private flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    const release = this.releaseBatch;
    this.queue = [];
    this.queuedKeys.clear();
    this.batchDone = undefined;
    this.releaseBatch = undefined;
    try {
      this.writeRows(() => this.rows.applyBatch!(batch.map((q) => q.write)));
    } catch (err) {
      // nothing of the batch was written: its revisions were never seen by anyone, hand them out again
      this.allocated = this.rows.revision();
      for (const q of batch) q.fail(err);
      release?.();
      return;
    }
    for (const q of batch) q.emit();
    for (const q of batch) q.done();
    release?.();
  }

  /**
   * The commit a queued write to `key` waits for, if there is one. Callers loop on it right before
   * reading the row, with no await between that check and queueing their own write.
   */
  private queuedWrite(key: ObjectKey): Promise<void> | undefined {
    return this.queuedKeys.size && this.queuedKeys.has(keyString(key)) ? this.batchDone : undefined;
  }

  /** Runs a row write; a failure below us (disk full, I/O error) becomes a 500 Status. */
  private writeRows(op: () => void): void {
    try {
      op();
    } catch (err) {
      if (isStatusError(err)) throw err;
      this.log?.error({ err }, 'storage write failed');
      throw internalError(`storage write failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw serviceUnavailable('storage is closed');
  }
}
