/**
 * The shared Store suite against a real etcd. Runs only when an `etcd` binary is on the PATH
 * (Debian: apt-get install etcd-server); it starts a throwaway member on free local ports.
 */
import t from 'tap';
import { EtcdStore } from '../../src/storage/etcd.js';
import { storeSuite } from './store-suite.js';
import { findEtcd, startEtcdCluster } from '../helpers/etcd.js';
import { waitFor } from '../helpers/wait.js';

const bin = findEtcd();
if (!bin) {
  t.plan(0, 'no etcd binary on PATH (apt-get install etcd-server to run the etcd backend tests)');
} else {
  const [url] = (await startEtcdCluster(t, 1, bin)).clientURLs;
  let n = 0;
  storeSuite(t, async (opts) => EtcdStore.open({ servers: [url], root: `/t${n++}`, ...opts }), { servesOldRevisions: true });

  t.test('two replicas see each other\'s writes through the watch', async (t) => {
    const a = await EtcdStore.open({ servers: [url], root: '/shared' });
    const b = await EtcdStore.open({ servers: [url], root: '/shared' });
    t.teardown(async () => { await a.close(); await b.close(); });
    const seen: string[] = [];
    b.watch({ cluster: '*', resource: 'configmaps' }, {}, { onEvent: (e) => seen.push(`${e.type} ${e.key.name}`) });
    const key = { cluster: 'root', resource: 'configmaps', namespace: 'ns', name: 'x' };
    await a.create(key, { metadata: { name: 'x' } });
    await a.delete(key);
    await waitFor('two watch events', () => seen.length >= 2, { timeoutMs: 2_000, everyMs: 5 });
    t.same(seen, ['ADDED x', 'DELETED x']);
    t.same(await b.get(key), undefined);
  });
}
