/**
 * A Store decorator that records kube-apiserver's storage metrics (`etcd_request_duration_seconds`,
 * `etcd_requests_total`, `etcd_request_errors_total`) for every backend, by operation and type
 * (`deployments.apps`, as kube labels it). Expected answers — NotFound, AlreadyExists, Conflict,
 * Expired — are requests that worked, not errors: only failures of the storage itself count.
 */
import { isStatusError } from '../errors/status.js';
import { observeStorageRequest } from '../observability/storage-metrics.js';
import type {
  KeyPrefix, KubeObject, ListOptions, ListResult, ObjectKey, Preconditions, RawListResult, Store, UpdateFn,
  WatchHandlers, WatchOptions, Watcher,
} from './types.js';

/** `apps/deployments` → `deployments.apps`; `configmaps` stays. */
export function metricType(resource: string): string {
  const slash = resource.lastIndexOf('/');
  return slash < 0 ? resource : `${resource.slice(slash + 1)}.${resource.slice(0, slash)}`;
}

const isExpected = (err: unknown) => isStatusError(err) && err.code < 500;

export function withStorageMetrics(inner: Store): Store {
  const timed = async <T>(operation: string, resource: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let failed = false;
    try {
      return await run();
    } catch (err) {
      failed = !isExpected(err);
      throw err;
    } finally {
      observeStorageRequest(operation, metricType(resource), (performance.now() - started) / 1000, failed);
    }
  };
  const store: Store = {
    backend: inner.backend,
    get: (key: ObjectKey) => timed('get', key.resource, () => inner.get(key)),
    list: (prefix: KeyPrefix, opts?: ListOptions): Promise<ListResult> => timed('list', prefix.resource, () => inner.list(prefix, opts)),
    create: (key: ObjectKey, obj: KubeObject) => timed('create', key.resource, () => inner.create(key, obj)),
    update: (key: ObjectKey, next: KubeObject | UpdateFn, pre?: Preconditions) => timed('update', key.resource, () => inner.update(key, next, pre)),
    delete: (key: ObjectKey, pre?: Preconditions) => timed('delete', key.resource, () => inner.delete(key, pre)),
    watch: (prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher => inner.watch(prefix, opts, handlers),
    currentResourceVersion: () => timed('currentResourceVersion', '', () => inner.currentResourceVersion()),
    close: () => inner.close(),
  };
  if (inner.getRaw) {
    const getRaw = inner.getRaw.bind(inner);
    store.getRaw = (key: ObjectKey) => timed('get', key.resource, () => getRaw(key));
  }
  if (inner.resourcesIn) {
    const resourcesIn = inner.resourcesIn.bind(inner);
    store.resourcesIn = (cluster: string) => timed('list', '', () => resourcesIn(cluster));
  }
  if (inner.listRaw) {
    const listRaw = inner.listRaw.bind(inner);
    store.listRaw = (prefix: KeyPrefix, opts?: ListOptions): Promise<RawListResult> => timed('list', prefix.resource, () => listRaw(prefix, opts));
  }
  return store;
}
