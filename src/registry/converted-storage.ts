/**
 * Versions of one resource stored once, as kube-apiserver stores a multi-version type in its
 * storage version: a def with `storedAs: <alias>` reads and writes through this wrapper, which
 * keys the object under the stored resource and converts it on the way in (`toStored`) and out
 * (`fromStored`). resourceVersions are the stored object's, so a watch on either version sees every
 * change once, and the server's own readers (informers on the stored resource) see one shape.
 * Label/field selectors on a converted list or watch are matched against the converted object.
 */
import type {
  KeyPrefix, KubeObject, ListOptions, ObjectKey, Preconditions, Store, UpdateFn, WatchHandlers, WatchOptions, Watcher,
} from '../storage/types.js';
import { stringifyJSON } from '../machinery/json-text.js';

export interface StoredConversion {
  /** The storage key the converted version's def names in `storedAs`. */
  alias: string;
  /** The storage key objects are kept under (the storage version's). */
  stored: string;
  toStored(obj: KubeObject): KubeObject;
  fromStored(obj: KubeObject): KubeObject;
}

export function withConvertedStorage(inner: Store, conversions: StoredConversion[]): Store {
  const byAlias = new Map(conversions.map((c) => [c.alias, c]));
  const conv = (resource: string) => byAlias.get(resource);
  const storedKey = <K extends { resource: string }>(k: K, c: StoredConversion): K => ({ ...k, resource: c.stored });
  const listOpts = <O extends ListOptions | WatchOptions>(c: StoredConversion, opts: O | undefined): O | undefined => {
    const filter = opts?.filter;
    return filter ? { ...opts, filter: (o: KubeObject) => filter(c.fromStored(o)) } : opts;
  };

  const store: Store = {
    backend: inner.backend,
    async get(k) {
      const c = conv(k.resource);
      if (!c) return inner.get(k);
      const o = await inner.get(storedKey(k, c));
      return o && c.fromStored(o);
    },
    async list(prefix: KeyPrefix, opts?: ListOptions) {
      const c = conv(prefix.resource);
      if (!c) return inner.list(prefix, opts);
      const r = await inner.list(storedKey(prefix, c), listOpts(c, opts));
      return { ...r, items: r.items.map((o) => c.fromStored(o)) };
    },
    async create(k, obj) {
      const c = conv(k.resource);
      if (!c) return inner.create(k, obj);
      return c.fromStored(await inner.create(storedKey(k, c), c.toStored(obj)));
    },
    async update(k: ObjectKey, next: KubeObject | UpdateFn, pre?: Preconditions) {
      const c = conv(k.resource);
      if (!c) return inner.update(k, next, pre);
      const fn: KubeObject | UpdateFn = typeof next === 'function'
        ? async (current) => c.toStored(await next(c.fromStored(current)))
        : c.toStored(next);
      return c.fromStored(await inner.update(storedKey(k, c), fn, pre));
    },
    async delete(k, pre) {
      const c = conv(k.resource);
      if (!c) return inner.delete(k, pre);
      return c.fromStored(await inner.delete(storedKey(k, c), pre));
    },
    watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
      const c = conv(prefix.resource);
      if (!c) return inner.watch(prefix, opts, handlers);
      return inner.watch(storedKey(prefix, c), listOpts(c, opts)!, {
        onEvent: (ev) => handlers.onEvent({
          ...ev, key: { ...ev.key, resource: c.alias }, object: c.fromStored(ev.object),
          prevObject: ev.prevObject && c.fromStored(ev.prevObject),
        }),
        onClose: handlers.onClose && ((reason) => handlers.onClose!(reason)),
      });
    },
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
  };
  // stored names: a converted resource is stored under its `stored` name, which is what a caller purges
  if (inner.resourcesIn) store.resourcesIn = inner.resourcesIn.bind(inner);
  // the raw fast paths hand out stored text: a converted resource goes through the object path instead
  const { getRaw, listRaw } = inner;
  if (getRaw) {
    store.getRaw = async (k) => {
      if (!conv(k.resource)) return getRaw.call(inner, k);
      const o = await store.get(k);
      return o && stringifyJSON(o);
    };
  }
  if (listRaw) {
    store.listRaw = async (prefix, opts) => {
      if (!conv(prefix.resource)) return listRaw.call(inner, prefix, opts);
      const r = await store.list(prefix, opts);
      return { ...r, items: r.items.map((o) => stringifyJSON(o)) };
    };
  }
  return store;
}
