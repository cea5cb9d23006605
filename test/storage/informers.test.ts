/**
 * The store informers every in-server component is built on: an object deleted while the watch
 * was down arrives as a delete after recovery (resumed, or relisted after 410), and a handler that
 * throws neither stops the watch nor the other handlers.
 */
import t from 'tap';
import { createStore } from '../../src/storage/index.js';
import { StoreInformers } from '../../src/storage/informers.js';
import type { Store } from '../../src/storage/types.js';
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

t.test('a terminal error in the first list fails the sync instead of being retried; others are retried', async (t) => {
  class Unopenable extends Error {}
  const inner = await createStore({ backend: 'memory', dataDir: '' });
  let lists = 0;
  let failWith: Error | undefined = new Unopenable('sealed with key "k1", which is not configured');
  const store: Store = Object.assign(Object.create(inner) as Store, {
    list: async (...a: Parameters<Store['list']>) => {
      lists++;
      if (failWith) throw failWith;
      return inner.list(...a);
    },
  });
  const informers = new StoreInformers(store, { defaultCluster: 'root', backoff: { initialMs: 10, maxMs: 20 }, isTerminal: (e) => e instanceof Unopenable });
  t.teardown(async () => { informers.stop(); await inner.close(); });
  await t.rejects(informers.synced('configmaps'), /which is not configured/, 'the sync rejects with the error itself');
  await new Promise((r) => setTimeout(r, 60));
  t.equal(lists, 1, 'not retried');

  failWith = new Error('connection reset');
  const retried = informers.synced('secrets');
  await waitFor('a retried list', () => lists >= 3, { timeoutMs: 5_000, everyMs: 5 });
  failWith = undefined;
  // the informer's retry timer does not hold the process open: poll while it fires
  await waitFor('the retried list succeeds', () => informers.informer('secrets').hasSynced(), { timeoutMs: 5_000, everyMs: 5 });
  t.ok(await retried, 'a transient error is retried until the list succeeds');
});
