/**
 * One storage for both Event APIs, as kube-apiserver keeps them: `events.k8s.io/v1` Events are
 * stored as core/v1 Events (resource `events`), so an Event a controller writes through the new API
 * is listed by `kubectl get events` and shown by `kubectl describe` (which read core/v1), and the
 * other way round. Reads of `events.k8s.io/events` convert on the way out; writes convert on the
 * way in; resourceVersions are shared, so a watch on either API sees every Event once.
 *
 * The field mapping is kube's (pkg/apis/events/v1/conversion.go): regarding ↔ involvedObject,
 * note ↔ message, reportingController ↔ reportingComponent, deprecatedSource ↔ source,
 * deprecatedFirstTimestamp/LastTimestamp/Count ↔ firstTimestamp/lastTimestamp/count.
 */
import type {
  KeyPrefix, KubeObject, ListOptions, ObjectKey, Preconditions, Store, UpdateFn, WatchHandlers, WatchOptions, Watcher,
} from '../storage/types.js';

export const EVENTS_V1_RESOURCE = 'events.k8s.io/events';
export const CORE_EVENTS_RESOURCE = 'events';

/** events.k8s.io field ↔ core/v1 field; the rest (reason, type, action, related, eventTime, series, reportingInstance) keep their names. */
const RENAMED: ReadonlyArray<[string, string]> = [
  ['regarding', 'involvedObject'], ['note', 'message'], ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'], ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: ReadonlyArray<[string, string]>, apiVersion: string): KubeObject {
  const out: Record<string, unknown> = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    if (from in out) {
      if (out[from] !== undefined) out[to] = out[from];
      delete out[from];
    }
  }
  return out as KubeObject;
}

const TO_V1: ReadonlyArray<[string, string]> = RENAMED.map(([v1, core]) => [core, v1]);

/** A stored (core/v1) Event as events.k8s.io/v1 shows it. */
export function eventToV1(stored: KubeObject): KubeObject {
  return rename(stored, TO_V1, 'events.k8s.io/v1');
}

/** An events.k8s.io/v1 Event as it is stored (core/v1). */
export function eventToCore(v1: KubeObject): KubeObject {
  return rename(v1, RENAMED, 'v1');
}

const isV1 = (resource: string) => resource === EVENTS_V1_RESOURCE;

export function withEventsStorage(inner: Store): Store {
  const key = (k: ObjectKey): ObjectKey => (isV1(k.resource) ? { ...k, resource: CORE_EVENTS_RESOURCE } : k);
  const out = (resource: string, o: KubeObject): KubeObject => (isV1(resource) ? eventToV1(o) : o);
  const listOpts = (resource: string, opts?: ListOptions): ListOptions | undefined => {
    const filter = opts?.filter;
    return isV1(resource) && filter ? { ...opts, filter: (o) => filter(eventToV1(o)) } : opts;
  };
  const store: Store = {
    backend: inner.backend,
    async get(k) {
      const o = await inner.get(key(k));
      return o && out(k.resource, o);
    },
    async list(prefix: KeyPrefix, opts?: ListOptions) {
      if (!isV1(prefix.resource)) return inner.list(prefix, opts);
      const r = await inner.list({ ...prefix, resource: CORE_EVENTS_RESOURCE }, listOpts(prefix.resource, opts));
      return { ...r, items: r.items.map(eventToV1) };
    },
    async create(k, obj) {
      return out(k.resource, await inner.create(key(k), isV1(k.resource) ? eventToCore(obj) : obj));
    },
    async update(k: ObjectKey, next: KubeObject | UpdateFn, pre?: Preconditions) {
      if (!isV1(k.resource)) return inner.update(k, next, pre);
      const fn: KubeObject | UpdateFn = typeof next === 'function'
        ? async (current) => eventToCore(await next(eventToV1(current)))
        : eventToCore(next);
      return eventToV1(await inner.update(key(k), fn, pre));
    },
    async delete(k, pre) {
      return out(k.resource, await inner.delete(key(k), pre));
    },
    watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
      if (!isV1(prefix.resource)) return inner.watch(prefix, opts, handlers);
      return inner.watch({ ...prefix, resource: CORE_EVENTS_RESOURCE }, listOpts(prefix.resource, opts) as WatchOptions, {
        onEvent: (ev) => handlers.onEvent({
          ...ev, key: { ...ev.key, resource: EVENTS_V1_RESOURCE }, object: eventToV1(ev.object),
          prevObject: ev.prevObject && eventToV1(ev.prevObject),
        }),
        onClose: handlers.onClose && ((reason) => handlers.onClose!(reason)),
      });
    },
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
  };
  const { getRaw, listRaw } = inner;
  if (getRaw) {
    store.getRaw = async (k) => {
      if (!isV1(k.resource)) return getRaw.call(inner, k);
      const o = await store.get(k);
      return o && JSON.stringify(o);
    };
  }
  if (listRaw) {
    store.listRaw = async (prefix, opts) => {
      if (!isV1(prefix.resource)) return listRaw.call(inner, prefix, opts);
      const r = await store.list(prefix, opts);
      return { ...r, items: r.items.map((o) => JSON.stringify(o)) };
    };
  }
  return store;
}
