/**
 * The admission cache (src/admission/watch-cache.ts) after a lost watch: a policy binding deleted
 * while the store's watches were closed, with the history compacted meanwhile (so the shared
 * informer must relist after a 410), is gone from the cache once it recovers, and the cache bumps
 * its version so views derived from it are rebuilt. Without the relist's deletes the binding would
 * stay and keep denying requests.
 */
import t from 'tap';
import { WatchCache } from '../../src/admission/watch-cache.js';
import { BINDINGS_RESOURCE } from '../../src/admission/validating-policy/plugin.js';
import { createStore } from '../../src/storage/index.js';
import { StoreInformers } from '../../src/storage/informers.js';
import { flakyStore } from '../helpers/flaky-store.js';
import { waitFor } from '../helpers/wait.js';

const binding = (cluster: string, name: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name, annotations: { 'kcp.io/cluster': cluster } }, spec: { policyName: 'p', validationActions: ['Deny'] },
});
const key = (cluster: string, name: string) => ({ cluster, resource: BINDINGS_RESOURCE, namespace: '', name });
const names = (cache: WatchCache, cluster: string) => cache.list(cluster).map((o) => o.metadata.name);

t.test('a binding deleted while the watch was down leaves the cache after the relist', async (t) => {
  const store = flakyStore(await createStore({ backend: 'memory', dataDir: '' }));
  const informers = new StoreInformers(store, { defaultCluster: 'root', backoff: { initialMs: 10, maxMs: 50 } });
  t.teardown(async () => { informers.stop(); await store.close(); });
  await store.create(key('root', 'first'), binding('root', 'first'));
  await store.create(key('root', 'keep'), binding('root', 'keep'));
  await store.create(key('root:other', 'first'), binding('root:other', 'first'));
  const cache = new WatchCache(informers, BINDINGS_RESOURCE);
  t.teardown(() => cache.stop());
  await cache.ready();
  t.same(names(cache, 'root'), ['first', 'keep']);

  store.breakWatches();
  await store.delete(key('root', 'first'));
  const before = cache.version;
  t.ok(cache.get('root', '', 'first'), 'still cached while the watch is down');
  await store.heal({ expired: true });

  await waitFor('the deleted binding gone from the cache', () => cache.get('root', '', 'first') === undefined, { timeoutMs: 5_000, everyMs: 5 });
  t.same(names(cache, 'root'), ['keep'], 'the cluster lists only what is left');
  t.same(names(cache, 'root:other'), ['first'], 'the same name in another cluster stays');
  t.ok(cache.version > before, 'the version moved, so derived views are rebuilt');

  await store.create(key('root', 'second'), binding('root', 'second'));
  await waitFor('a binding created after recovery', () => cache.get('root', '', 'second'), { timeoutMs: 5_000, everyMs: 5 });
  t.same(names(cache, 'root'), ['keep', 'second']);
});
