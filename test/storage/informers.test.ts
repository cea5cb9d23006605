/**
 * The store informers every in-server component is built on: an object deleted while the watch
 * was down arrives as a delete after recovery (resumed, or relisted after 410), and a handler that
 * throws neither stops the watch nor the other handlers.
 */
import t from 'tap';
import { createStore } from '../../src/storage/index.js';
import { StoreInformers } from '../../src/storage/informers.js';
import { flakyStore } from '../helpers/flaky-store.js';
import { waitFor } from '../helpers/wait.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', annotations: { 'kcp.io/cluster': 'root' } } });
const key = (name: string) => ({ cluster: 'root', resource: 'configmaps', namespace: 'default', name });

for (const expired of [false, true]) {
  t.test(`deleted while the watch was down → delete event after recovery (${expired ? 'relist' : 'resume'})`, async (t) => {
    const store = flakyStore(await createStore({ backend: 'memory', dataDir: '' }));
    const informers = new StoreInformers(store, { defaultCluster: 'root', backoff: { initialMs: 10, maxMs: 50 } });
    t.teardown(async () => { informers.stop(); await store.close(); });
    await store.create(key('a'), cm('a'));
    await store.create(key('b'), cm('b'));
    const deleted: string[] = [];
    const informer = await informers.synced('configmaps');
    informer.addEventHandler({ onDelete: (o) => deleted.push(o.metadata.name!) });
    store.breakWatches();
    await store.delete(key('a'));
    await store.heal({ expired });
    await waitFor('delete of a', () => deleted.includes('a'), { timeoutMs: 5000 });
    t.same(informer.list().map((o) => o.metadata.name), ['b']);
    await store.delete(key('b'));
    await waitFor('delete of b after recovery', () => deleted.includes('b'), { timeoutMs: 5000 });
  });
}

t.test('a throwing handler does not stop updates', async (t) => {
  const store = await createStore({ backend: 'memory', dataDir: '' });
  const informers = new StoreInformers(store, { defaultCluster: 'root' });
  t.teardown(async () => { informers.stop(); await store.close(); });
  const informer = await informers.synced('configmaps');
  const seen: string[] = [];
  informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
  informer.addEventHandler({ onAdd: (o) => seen.push(o.metadata.name!) });
  await store.create(key('a'), cm('a'));
  await store.create(key('b'), cm('b'));
  t.same(seen, ['a', 'b'], 'the other handler and later events still arrive');
  t.equal(informer.list().length, 2);
});
