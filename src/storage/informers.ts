/**
 * Informers over the store, for the parts of the server that keep an in-memory view of a resource
 * (RBAC, CRDs, workspaces, namespaces, API bindings, service-account tokens, admission caches):
 * the leaf informer (src/informer/) fed by `Store.list` and `Store.watch` across all logical
 * clusters, with one shared informer per resource however many parts watch it.
 *
 * Store watches deliver synchronously within the write, and so do these informers' handlers: a
 * part that reacts to a CRD sees it before the create that stored it returns. A store watch that
 * closes with an error (fell behind, etcd watch lost) is retried with backoff from the last
 * revision; one that is too old (410) relists, and what was deleted meanwhile arrives as deletes.
 */
import { CLUSTER_ANNOTATION, PATH_ANNOTATION, clusterOf } from '../apis/contract.js';
import { Informer, type ListerWatcher } from '../informer/informer.js';
import type { Clock } from '../informer/clock.js';
import { cacheKey } from '../informer/object-cache.js';
import type { Logger } from '../observability/logger.js';
import type { KeyPrefix, KubeObject, ObjectMeta, Store } from './types.js';

/** ListerWatcher over one store prefix. */
export function storeListWatch(store: Store, prefix: KeyPrefix): ListerWatcher<KubeObject> {
  return {
    async list(page) {
      const r = await store.list(prefix, { limit: page.limit, continue: page.continue });
      return { items: r.items, resourceVersion: r.resourceVersion, continue: r.continue };
    },
    watch(resourceVersion, onEvent, onDone) {
      let ended = false;
      const end = (err: Error | null) => {
        if (ended) return;
        ended = true;
        onDone(err);
      };
      try {
        const watcher = store.watch(prefix, { resourceVersion: resourceVersion || undefined }, {
          onEvent: (ev) => { if (!ended) onEvent({ type: ev.type, object: ev.object }); },
          // undefined: the store is closing; the server is stopping and its informers with it
          onClose: (reason) => { if (reason) end(reason); else ended = true; },
        });
        return { stop: () => { ended = true; watcher.stop(); } };
      } catch (err) {
        // 410 for a revision older than the history is thrown here; report it as the watch's end
        queueMicrotask(() => end(err instanceof Error ? err : new Error(String(err))));
        return { stop: () => { ended = true; } };
      }
    },
  };
}

/**
 * The metadata by which an informer's users find, order and write back an object: name,
 * namespace, uid, resourceVersion, deletionTimestamp, finalizers and the annotation its logical
 * cluster is read from (`kcp.io/path`, else `kcp.io/cluster`). For the views of resources with
 * objects in every workspace (a transform below), which keep little else: their managed fields,
 * timestamps and other annotations were most of each object, and there are several per workspace.
 * Names, namespaces and finalizers repeat across workspaces (`default`, `kubernetes`) and are
 * kept once (`shared`).
 */
export function identityMetadata(m: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { name: shared(m.name) };
  if (m.namespace) out.namespace = shared(m.namespace);
  if (m.uid) out.uid = m.uid;
  if (m.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (m.deletionTimestamp) out.deletionTimestamp = m.deletionTimestamp;
  if (m.finalizers?.length) out.finalizers = m.finalizers.map(shared);
  const path = m.annotations?.[PATH_ANNOTATION];
  const cluster = m.annotations?.[CLUSTER_ANNOTATION];
  // one annotation, as clusterOf reads it: a path when there is one
  if (path) out.annotations = { [PATH_ANNOTATION]: shared(path) };
  else if (cluster) out.annotations = { [CLUSTER_ANNOTATION]: cluster };
  return out;
}

const SHARED_MAX = 10_000;
const sharedStrings = new Map<string, string>();

/**
 * One copy of a string that many kept objects repeat (parsed JSON gives each object its own):
 * apiVersions, kinds, `default`, finalizer names, parent workspace paths. Bounded: past
 * SHARED_MAX distinct strings, new ones are kept as they are.
 */
export function shared<S extends string | undefined>(s: S): S {
  if (s === undefined) return s;
  const hit = sharedStrings.get(s) as S | undefined;
  if (hit !== undefined) return hit;
  if (sharedStrings.size < SHARED_MAX) sharedStrings.set(s, s);
  return s;
}

export interface StoreInformersOptions {
  /** The cluster of objects without a `kcp.io/cluster` annotation (physical-cluster mode). */
  defaultCluster: string;
  logger?: Logger;
  clock?: Clock;
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * What a resource's shared informer keeps of each object (client-go's SetTransform), set once
   * here so every user of that informer sees the same shape: e.g. secrets without the values no
   * component needs, so the server does not hold every Secret decrypted in memory.
   */
  transforms?: Record<string, (obj: KubeObject) => KubeObject>;
  /**
   * First-list errors that end the informer instead of being retried (src/informer rule 7): the
   * server passes "a Secret sealed with a key it lacks", so a wrong key fails the start.
   */
  isTerminal?: (err: Error) => boolean;
}

/** One shared informer per resource over all logical clusters (client-go's SharedInformerFactory). */
export class StoreInformers {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private stopped = false;

  constructor(private readonly store: Store, private readonly opts: StoreInformersOptions) {}

  /** The shared informer of `resource` (`secrets`, `rbac.authorization.k8s.io/roles`), started. */
  informer(resource: string): Informer<KubeObject> {
    let inf = this.informers.get(resource);
    if (!inf) {
      const defaultCluster = this.opts.defaultCluster;
      inf = new Informer<KubeObject>({
        listWatch: storeListWatch(this.store, { cluster: '*', resource }),
        resource, logger: this.opts.logger, clock: this.opts.clock, backoff: this.opts.backoff,
        // every list pass is one consistent snapshot: the store pages cheaply but a relist is rare
        pageSize: 0,
        transform: this.opts.transforms?.[resource],
        isTerminal: this.opts.isTerminal,
        keyOf: (o) => cacheKey(clusterOf(o, defaultCluster), o.metadata?.namespace, o.metadata?.name ?? ''),
      });
      this.informers.set(resource, inf);
      if (!this.stopped) inf.start();
      else inf.stop();
    }
    return inf;
  }

  /** The informer of `resource`, once its first list is in; rejects with a terminal first-list error. */
  async synced(resource: string): Promise<Informer<KubeObject>> {
    const inf = this.informer(resource);
    if (!(await inf.waitForSync())) throw new Error(`informer for ${resource} stopped before its first list`);
    return inf;
  }

  /** The cluster an object of these informers lives in. */
  clusterOf(obj: KubeObject): string {
    return clusterOf(obj, this.opts.defaultCluster);
  }

  /** How many objects each informer keeps, by resource (for tests that guard memory per workspace). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.informers].map(([resource, inf]) => [resource, inf.size]));
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}
