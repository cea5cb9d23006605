/**
 * EtcdStore: the Store on a real etcd cluster (several tmc-server replicas share it). The revision
 * is etcd's own: an object's resourceVersion is its mod revision, and the value stored is the
 * object without it (as Kubernetes does), so the two can never disagree.
 *
 * Writes are compare-and-swap transactions: create requires the key to be absent, update and
 * delete require the mod revision that was read, and an UpdateFn is retried on a lost race (kube's
 * GuaranteedUpdate). One etcd watch over the whole root, with previous values, feeds the shared
 * WatchCache, so every replica sees every replica's writes in revision order.
 */
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import {
  Etcd3, GRPCUnavailableError, isRecoverableError, type IKeyValue, type IOptions, type Watcher as EtcdWatcher,
} from 'etcd3';
import {
  alreadyExists, badRequest, conflict, expired, internalError, isStatusError, notFound,
  serviceUnavailable,
} from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { tooLargeResourceVersion } from './consistency.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import {
  DEFAULT_ETCD_ROOT, etcdKey, etcdKeyOf, etcdPrefix, parseEtcdKey, prefixEnd,
} from './etcd-keys.js';
import { groupResourceOf, keyMatchesPrefix } from './keys.js';
import {
  assertStorable, checkPreconditions, isPromiseLike, withResourceVersion,
} from './preconditions.js';
import { parseRevision } from './revision.js';
import { equalIgnoringResourceVersion } from './semantic-equal.js';
import type {
  KeyPrefix, KubeObject, ListOptions, ListResult, ObjectKey, Preconditions, Store, UpdateFn,
  WatchEvent, WatchHandlers, WatchOptions, Watcher,
} from './types.js';
import { WatchCache } from './watch-cache.js';
import { stringifyJSON } from '../machinery/json-text.js';

const MAX_CAS_ATTEMPTS = 32;
/** How long a write waits for its own event to reach the watch cache before resolving anyway. */
const ECHO_TIMEOUT_MS = 5_000;
/** Keys fetched per range request while paging (and while filtering a page). */
const RANGE_CHUNK = 500;
/** Default bound on one etcd request (kube's etcd client uses a few seconds too). */
export const DEFAULT_ETCD_REQUEST_TIMEOUT_MS = 5_000;

export interface EtcdStoreOptions {
  servers: string[];
  /** Key root (default `/registry`); tests use a unique root to share one etcd. */
  root?: string;
  historySize?: number;
  logger?: Logger;
  /**
   * Upper bound on every unary etcd call. Without quorum etcd holds reads and writes until its own
   * timeout (or forever for a partitioned member); this bound turns that into a prompt 503.
   * @default 5000
   */
  requestTimeoutMs?: number;
  /** Extra etcd3 client options (TLS, auth). */
  client?: Omit<IOptions, 'hosts'>;
}

/**
 * etcd3's client with fault handling for a multi-member cluster:
 * - a deadline on every unary call (streams, i.e. watches, have none);
 * - a retry on another member only when the call could not reach one (UNAVAILABLE: the member is
 *   down or lost its leader). A timed-out call is not retried: it may have been applied, and the
 *   caller is better served by a prompt 503 than by a second wait;
 * - a per-member circuit breaker that, after three failures, skips that member for a second, so a
 *   dead member costs one failed connection, not one per request;
 * - watch reconnects backing off to at most 2 s (etcd3's default grows to 30 s), so a watch is back
 *   within seconds once a member or quorum returns.
 */
function etcdClient(opts: EtcdStoreOptions, requestTimeoutMs: number): Etcd3 {
  return new Etcd3({
    dialTimeout: requestTimeoutMs,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + requestTimeoutMs }),
    faultHandling: {
      host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(3) }),
      global: retry(handleWhen((err) => err instanceof GRPCUnavailableError), { maxAttempts: Math.max(1, opts.servers.length - 1) }),
      // etcd3 declares an IBackoff but calls .next() on it first, which is what cockatiel 3's
      // backoff factory offers (its own default is `new ExponentialBackoff()` too).
      watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) as unknown as NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>,
    },
    ...opts.client,
    hosts: opts.servers,
  });
}

export class EtcdStore implements Store {
  readonly backend = 'etcd' as const;
  private cache!: WatchCache;
  private etcdWatch?: EtcdWatcher;
  private closed = false;
  /** Writes waiting for the watch stream to deliver their revision (see settle()). */
  private echoWaiters: Array<{ rv: number; done: () => void }> = [];
  /** Private caches of watches served from etcd's history (see watchHistory); closed with the store. */
  private readonly historyWatches = new Set<WatchCache>();

  private constructor(
    private readonly client: Etcd3,
    private readonly root: string,
    private readonly historySize: number | undefined,
    private readonly log: Logger | undefined,
    private readonly servers: string[],
    private readonly requestTimeoutMs: number,
  ) {}

  /** Connects, learns the current revision and starts the watch that feeds the cache. */
  static async open(opts: EtcdStoreOptions): Promise<EtcdStore> {
    if (opts.servers.length === 0) throw badRequest('etcd storage needs at least one server (--etcd-servers)');
    const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_ETCD_REQUEST_TIMEOUT_MS;
    const client = etcdClient(opts, requestTimeoutMs);
    const store = new EtcdStore(client, opts.root ?? DEFAULT_ETCD_ROOT, opts.historySize, opts.logger, opts.servers, requestTimeoutMs);
    try {
      await store.startWatch();
    } catch (err) {
      client.close();
      throw serviceUnavailable(`cannot reach etcd at ${opts.servers.join(',')}: ${errText(err)}`);
    }
    opts.logger?.info({ servers: opts.servers, root: store.root }, 'etcd storage opened');
    return store;
  }

  /** (Re)starts the cache at etcd's current revision; the old cache's watchers must relist. */
  private async startWatch(): Promise<void> {
    const rev = await this.revisionNow();
    const previous = this.cache;
    this.cache = new WatchCache({ capacity: this.historySize, startRevision: rev, logger: this.log });
    previous?.close(expired('the watch cache was reset; relist'));
    this.releaseEchoes(rev);
    const w = await this.client.watch().prefix(`${this.root}/`).withPreviousKV().startRevision(String(rev + 1)).create();
    this.etcdWatch = w;
    w.on('data', (res) => {
      for (const ev of res.events) this.ingest(ev.type, ev.kv, ev.prev_kv);
      this.releaseEchoes(this.cache.latestRevision);
    });
    w.on('error', (err) => {
      // Typically the revision we resume from was compacted while disconnected: history is lost,
      // so end every watch (clients relist) and start over from now.
      // etcd has already canceled it: cancelling again makes etcd3 throw on the unknown watch id.
      this.log?.warn({ err }, 'etcd watch failed; resetting the watch cache');
      this.restartWatch();
    });
  }

  /** Retries startWatch until it succeeds (etcd may be without quorum for a while) or we close. */
  private restartWatch(delayMs = 0): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.startWatch().catch((err) => {
        this.log?.warn({ err }, 'etcd watch restart failed; retrying');
        this.restartWatch(Math.min(2_000, Math.max(100, delayMs * 2)));
      });
    }, delayMs).unref();
  }

  private ingest(type: 'Put' | 'Delete', kv: IKeyValue, prev: IKeyValue | undefined): void {
    if (!(Number(kv.mod_revision) > this.cache.latestRevision)) return; // replayed after a reconnect
    const ev = this.toEvent(type, kv, prev);
    if (ev) this.cache.append(ev);
  }

  private toEvent(type: 'Put' | 'Delete', kv: IKeyValue, prev: IKeyValue | undefined): WatchEvent | undefined {
    const key = parseEtcdKey(this.root, kv.key.toString());
    if (!key) return undefined;
    const rv = Number(kv.mod_revision);
    try {
      const prevObject = prev && prev.value.length ? decode(prev) : undefined;
      if (type === 'Delete') {
        if (!prevObject) return undefined; // nothing to show a watcher
        return { type: 'DELETED', key, object: withResourceVersion(prevObject, rv), prevObject, resourceVersion: String(rv) };
      }
      const object = decode(kv);
      const added = kv.create_revision === kv.mod_revision;
      return { type: added ? 'ADDED' : 'MODIFIED', key, object, prevObject: added ? undefined : prevObject, resourceVersion: String(rv) };
    } catch (err) {
      this.log?.error({ err, key: kv.key.toString() }, 'undecodable value in etcd; event skipped');
      return undefined;
    }
  }

  /**
   * Resolves once the watch cache has seen revision `rv`. Writes wait for their own event so that
   * a watch started "from now" after a write resolved never receives that write, as with the
   * in-process stores (the cache otherwise lags etcd by one stream round trip).
   */
  private settle(rv: number): Promise<void> {
    if (this.cache.latestRevision >= rv || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { rv, done: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.echoWaiters = this.echoWaiters.filter((w) => w !== waiter);
        this.log?.warn({ rv }, 'etcd watch did not deliver a write in time; continuing');
        resolve();
      }, ECHO_TIMEOUT_MS);
      this.echoWaiters.push(waiter);
    });
  }

  private releaseEchoes(rv: number): void {
    if (this.echoWaiters.length === 0) return;
    const ready = this.echoWaiters.filter((w) => w.rv <= rv);
    if (ready.length === 0) return;
    this.echoWaiters = this.echoWaiters.filter((w) => w.rv > rv);
    for (const w of ready) w.done();
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    this.assertOpen();
    const res = await this.call(() => this.client.get(etcdKey(this.root, key)).exec());
    return res.kvs[0] ? decode(res.kvs[0]) : undefined;
  }

  async list(prefix: KeyPrefix, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const base = etcdPrefix(this.root, prefix);
    const end = prefixEnd(base);
    let start = base;
    // The revision the whole list is read at: later pages read there too (etcd keeps history
    // until compaction, which then yields 410), so paging is consistent, as in kube.
    let at: number | undefined;
    if (opts.continue) {
      const point = decodeContinue(opts.continue);
      at = point.revision;
      start = `${etcdKeyOf(this.root, prefix.resource, point.after)}\u0000`;
    } else {
      const want = parseRevision(opts.resourceVersion);
      if (want) {
        const now = await this.call(() => this.revisionNow());
        if (want > now) throw tooLargeResourceVersion(want, now);
        if (opts.resourceVersionMatch === 'Exact') at = want;
      }
    }
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : undefined;
    // etcd's count covers the whole range, so it is only the remainder when nothing is skipped.
    const countable = !opts.filter && prefix.name === undefined && !(prefix.cluster === '*' && prefix.namespace);
    const items: KubeObject[] = [];
    let last: ObjectKey | undefined;
    let more = false;
    let remaining: number | undefined;
    for (;;) {
      const range = this.client.getAll().inRange({ start, end }).limit(limit === undefined ? RANGE_CHUNK : Math.min(RANGE_CHUNK, limit + 1));
      if (at !== undefined) range.revision(at);
      const res = await this.call(() => range.exec(), opts.continue !== undefined);
      at ??= Number(res.header.revision);
      for (let i = 0; i < res.kvs.length; i++) {
        if (limit !== undefined && items.length === limit) {
          more = true;
          if (countable) remaining = Number(res.count) - i;
          break;
        }
        const key = parseEtcdKey(this.root, res.kvs[i].key.toString());
        if (!key || !keyMatchesPrefix(key, prefix)) continue;
        const obj = decode(res.kvs[i]);
        if (opts.filter && !opts.filter(obj)) continue;
        items.push(obj);
        last = key;
      }
      if (more || !res.more || res.kvs.length === 0) break;
      start = `${res.kvs[res.kvs.length - 1].key.toString()}\u0000`;
    }
    const result: ListResult = { items, resourceVersion: String(at) };
    if (more && last) {
      result.continue = encodeContinue({ revision: at, after: last });
      if (remaining !== undefined) result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * Walks the resources under the root one at a time (the first key after the previous resource's
   * range names the next), asking each for one key of the cluster: two small reads per resource
   * stored anywhere, never the values.
   */
  async resourcesIn(cluster: string): Promise<string[]> {
    this.assertOpen();
    const out: string[] = [];
    const end = prefixEnd(`${this.root}/`);
    let start = `${this.root}/`;
    for (;;) {
      const from = start;
      const [first] = await this.call(() => this.client.getAll().inRange({ start: from, end }).limit(1).keys());
      if (first === undefined) return out;
      const key = parseEtcdKey(this.root, first);
      if (!key) { start = `${first}\u0000`; continue; }
      const own = etcdPrefix(this.root, { cluster, resource: key.resource });
      const [hit] = await this.call(() => this.client.getAll().prefix(own).limit(1).keys());
      if (hit !== undefined) out.push(key.resource);
      start = prefixEnd(etcdPrefix(this.root, { cluster: '*', resource: key.resource }));
    }
  }

  async create(key: ObjectKey, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    assertStorable(obj, key);
    const k = etcdKey(this.root, key);
    const text = encode(obj);
    const res = await this.call(() => this.client.if(k, 'Create', '==', 0).then(this.client.put(k).value(text)).commit());
    if (!res.succeeded) throw alreadyExists(groupResourceOf(key.resource), key.name);
    await this.settle(Number(res.header.revision));
    // the caller's object stamped (a shallow copy, as the in-process stores return): the watch
    // event is decoded from etcd's own copy, so nothing is shared, and the text needs no parse
    return withResourceVersion(obj, res.header.revision);
  }

  async update(key: ObjectKey, next: KubeObject | UpdateFn, preconditions?: Preconditions): Promise<KubeObject> {
    this.assertOpen();
    const gr = groupResourceOf(key.resource);
    const k = etcdKey(this.root, key);
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const read = await this.call(() => this.client.get(k).exec());
      const kv = read.kvs[0];
      if (!kv) throw notFound(gr, key.name);
      const current = decode(kv);
      checkPreconditions(key, current, preconditions);
      let candidate: KubeObject;
      if (typeof next === 'function') {
        const out = next(decode(kv));
        candidate = isPromiseLike(out) ? await out : out;
      } else {
        candidate = next;
      }
      assertStorable(candidate, key);
      if (equalIgnoringResourceVersion(candidate, current)) return current;
      const text = encode(candidate);
      const res = await this.call(() => this.client.if(k, 'Mod', '==', kv.mod_revision).then(this.client.put(k).value(text)).commit());
      if (res.succeeded) {
        await this.settle(Number(res.header.revision));
        return withResourceVersion(candidate, res.header.revision);
      }
    }
    throw conflict(gr, key.name, 'too many concurrent updates; try again');
  }

  async delete(key: ObjectKey, preconditions?: Preconditions): Promise<KubeObject> {
    this.assertOpen();
    const gr = groupResourceOf(key.resource);
    const k = etcdKey(this.root, key);
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const read = await this.call(() => this.client.get(k).exec());
      const kv = read.kvs[0];
      if (!kv) throw notFound(gr, key.name);
      const current = decode(kv);
      checkPreconditions(key, current, preconditions);
      const res = await this.call(() => this.client.if(k, 'Mod', '==', kv.mod_revision).then(this.client.delete().key(k)).commit());
      if (res.succeeded) {
        await this.settle(Number(res.header.revision));
        return withResourceVersion(current, res.header.revision);
      }
    }
    throw conflict(gr, key.name, 'too many concurrent updates; try again');
  }

  watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
    // A revision ahead of the cache is fine here: the cache lags etcd and waits for it.
    try {
      return this.cache.watch(prefix, opts, handlers);
    } catch (err) {
      if (!(isStatusError(err) && err.reason === 'Expired')) throw err;
    }
    return this.watchHistory(prefix, opts, handlers);
  }

  /**
   * A watch from a revision older than this replica's cache (it started later than the revision,
   * or the history rolled over) is served by etcd's own history, so every replica answers it the
   * same way: events if etcd still has the revision, 410 once etcd compacted it. It gets its own
   * etcd watch feeding a private cache (for the same filter semantics); such watches are rare.
   */
  private watchHistory(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
    const from = Number(opts.resourceVersion);
    const own = new WatchCache({ capacity: 1, startRevision: from, logger: this.log });
    this.historyWatches.add(own);
    /** Set once etcd canceled the watch itself: cancelling it again makes etcd3 throw on the unknown id. */
    let canceledByEtcd = false;
    const cancel = () => { if (!canceledByEtcd) void etcdWatch.cancel().catch(() => undefined); };
    const inner = own.watch(prefix, { filter: opts.filter }, {
      onEvent: (ev) => handlers.onEvent(ev),
      onClose: (reason) => { this.historyWatches.delete(own); cancel(); handlers.onClose?.(reason); },
    });
    const etcdWatch = this.client.watch().prefix(etcdPrefix(this.root, { cluster: '*', resource: prefix.resource }))
      .withPreviousKV().startRevision(String(from + 1)).watcher();
    etcdWatch.on('data', (res) => {
      for (const ev of res.events) {
        const out = this.toEvent(ev.type, ev.kv, ev.prev_kv);
        if (out) own.append(out);
      }
    });
    etcdWatch.on('error', (err) => {
      canceledByEtcd = true;
      // etcd cancels a watch itself when its start revision is compacted (etcd 3.4 gives no
      // reason then, later versions say so); other cancellations carry a reason.
      own.close(/compacted|canceled: *$/i.test(errText(err))
        ? expired(`too old resource version: ${from} (etcd compacted it)`)
        : serviceUnavailable(`storage unavailable: the etcd watch failed: ${errText(err)}`));
    });
    return {
      stop: () => {
        inner.stop();
        this.historyWatches.delete(own);
        cancel();
      },
    };
  }

  async currentResourceVersion(): Promise<string> {
    this.assertOpen();
    return String(await this.call(() => this.revisionNow()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.echoWaiters) w.done();
    this.echoWaiters = [];
    this.cache?.close();
    for (const own of [...this.historyWatches]) own.close();
    await this.etcdWatch?.cancel().catch(() => undefined);
    this.client.close();
  }

  private async revisionNow(): Promise<number> {
    const res = await this.client.get(`${this.root}/`).exec();
    return Number(res.header.revision);
  }

  /** Runs an etcd call; transport failures become 503, compaction of a paged read 410. */
  private async call<T>(op: () => Promise<T>, paging = false): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (isStatusError(err)) throw err;
      const text = errText(err);
      if (/compacted/i.test(text)) {
        throw expired(paging
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
          : 'The resourceVersion for the provided list is too old.');
      }
      if (isBrokenCircuitError(err) || isRecoverableError(err as Error) || /unavailable|deadline|connect|no leader|timed out/i.test(text)) {
        this.log?.warn({ err: text }, 'etcd request failed');
        throw serviceUnavailable(`storage unavailable: etcd (${this.servers.join(',')}) did not answer within ${this.requestTimeoutMs}ms `
          + `(a majority of etcd members must be up and reachable; a write that timed out may still be applied once they are); retry shortly: ${text}`);
      }
      this.log?.error({ err }, 'etcd request failed');
      throw internalError(`etcd: ${text}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw serviceUnavailable('storage is closed');
  }
}

/** The stored value: the object without its resourceVersion (etcd's mod revision is the truth). */
function encode(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return stringifyJSON({ ...obj, metadata: meta });
}

function decode(kv: IKeyValue): KubeObject {
  const obj = JSON.parse(kv.value.toString()) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: kv.mod_revision };
  return obj;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
