/**
 * Dependencies never flap: a ConfigMap a placed Deployment references lands downstream before the
 * Deployment does, and the namespace sweep that its arrival triggers must not delete it in
 * between. A downstream watch sees each ConfigMap ADDED once and never DELETED.
 */
import t from 'tap';
import { stateLabel } from '../../src/apis/contract.js';
import type { WatchEvent } from '../../src/client/types.js';
import { SyncerManager } from '../../src/syncer/manager/syncer-manager.js';
import { CONFIGMAPS, DEPLOYMENTS, deployment, downstreamObjects, startTopology } from '../syncer/harness.js';
import { waitFor } from '../helpers/wait.js';

t.test('a dependency that lands before its workload is not swept', async (t) => {
  const topo = await startTopology(t, 1);
  const [c1] = topo.clusters;
  const events: WatchEvent[] = [];
  const watch = c1.client.watch(CONFIGMAPS, {}, (e) => events.push(e), () => undefined);
  t.teardown(() => watch.stop());
  // a long resync: a wrongly swept copy would stay missing, as in the report
  const manager = new SyncerManager(topo.rootClient, { discoveryIntervalMs: 200, namespaceCleanDelayMs: 200, resyncMs: 60_000 });
  t.teardown(() => manager.stop());
  await manager.start();

  const N = 12;
  for (let i = 0; i < N; i++) {
    await topo.ws.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cfg-${i}` }, data: { i: String(i) } });
  }
  await Promise.all(Array.from({ length: N }, (_, i) =>
    topo.ws.create(DEPLOYMENTS, 'default', deployment(`app-${i}`, { [stateLabel(c1.key)]: 'Sync' }, { configMap: `cfg-${i}` }))));

  await waitFor('every deployment downstream', async () => (await downstreamObjects(c1, DEPLOYMENTS)).length === N, { timeoutMs: 30_000 });
  // the sweep runs after each dependency arrives and again once the namespace settles
  await new Promise((r) => setTimeout(r, 1_500));
  const names = (await downstreamObjects(c1, CONFIGMAPS)).map((o) => o.metadata?.name).sort();
  t.same(names, Array.from({ length: N }, (_, i) => `cfg-${i}`).sort(), 'every dependency is downstream');
  const deleted = events.filter((e) => e.type === 'DELETED').map((e) => (e.object as { metadata?: { name?: string } }).metadata?.name);
  t.same(deleted, [], 'no dependency was deleted on the way');
});
