/**
 * A namespaced create checks its namespace. On a store without a cheap local read (etcd) the check
 * comes from the namespace cache when it knows the namespace as live — no store read — and falls
 * back to a read when the cache does not have it or has it terminating, so a cache that lags never
 * refuses a create into a live namespace. (A cache that still shows a namespace live after it was
 * removed would admit a create, as kube's NamespaceLifecycle lister would: the informer lags the
 * store by one watch delivery, while a namespace is Terminating for the whole time it is emptied.)
 */
import t from 'tap';
import { StatusError } from '../../src/errors/status.js';
import { serverModeDefs } from '../../src/registry/builtin-sets.js';
import { GenericStore, type RequestScope } from '../../src/registry/generic-store.js';
import type { ResourceDef } from '../../src/registry/types.js';
import { MemoryStore } from '../../src/storage/memory.js';
import type { KubeObject, ObjectKey, Store } from '../../src/storage/types.js';

const CLUSTER = 'root:team';
const scope = (namespace = ''): RequestScope =>
  ({ cluster: CLUSTER, namespace, user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
const defs = serverModeDefs();
const def = (resource: string) => defs.find((d) => d.group === '' && d.resource === resource) as ResourceDef;

/** The memory store as etcd looks to the generic store: no getRaw/listRaw; namespace reads counted. */
function etcdLike(): { store: Store; namespaceReads: () => number } {
  const inner = new MemoryStore();
  let reads = 0;
  const store: Store = {
    backend: 'etcd',
    get: (key: ObjectKey) => { if (key.resource === 'namespaces') reads++; return inner.get(key); },
    list: (p, o) => inner.list(p, o),
    create: (k, o) => inner.create(k, o),
    update: (k, n, p) => inner.update(k, n, p),
    delete: (k, p) => inner.delete(k, p),
    watch: (p, o, h) => inner.watch(p, o, h),
    currentResourceVersion: () => inner.currentResourceVersion(),
    close: () => inner.close(),
  };
  return { store, namespaceReads: () => reads };
}

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

t.test('namespaced creates on an etcd-like store', async (t) => {
  const { store, namespaceReads } = etcdLike();
  const cache = new Map<string, KubeObject>();
  const lookups: string[] = [];
  const generic = new GenericStore({
    store, annotateCluster: true,
    cachedNamespace: (cluster, name) => { lookups.push(`${cluster}/${name}`); return cache.get(`${cluster}/${name}`); },
  });
  const live = await generic.create(scope(), def('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live' } });

  let before = namespaceReads();
  await generic.create(scope('live'), def('configmaps'), cm('a'));
  t.equal(namespaceReads() - before, 1, 'not in the cache: read from the store');

  cache.set(`${CLUSTER}/live`, live);
  before = namespaceReads();
  await generic.create(scope('live'), def('configmaps'), cm('b'));
  t.equal(namespaceReads() - before, 0, 'cached as live: no store read');
  t.ok(lookups.includes(`${CLUSTER}/live`), 'looked up by cluster and name');

  before = namespaceReads();
  const err = await generic.create(scope('missing'), def('configmaps'), cm('c')).catch((e: unknown) => e);
  t.ok(err instanceof StatusError && err.code === 404, 'a namespace the cache does not know and the store does not have: 404');
  t.equal(namespaceReads() - before, 1, 'the store decided');
  t.same((await store.list({ cluster: CLUSTER, resource: 'configmaps', namespace: 'missing' })).items, [], 'nothing stored');

  cache.set(`${CLUSTER}/live`, { ...live, metadata: { ...live.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
  before = namespaceReads();
  await generic.create(scope('live'), def('configmaps'), cm('d'));
  t.equal(namespaceReads() - before, 1, 'cached as terminating: confirmed by a read (live in the store, so the create goes through)');
});

t.test('a store with a local read never asks the cache', async (t) => {
  let asked = 0;
  const generic = new GenericStore({ store: new MemoryStore(), annotateCluster: true, cachedNamespace: () => { asked++; return undefined; } });
  await generic.create(scope(), def('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  await generic.create(scope('n'), def('configmaps'), cm('a'));
  t.equal(asked, 0);
});
