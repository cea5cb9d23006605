/**
 * In-process syncers share one upstream informer per workspace and resource; each DirectSource
 * filters by its own state label with the server-side selector's meaning (gain = add, loss =
 * delete, reads see only labelled objects). Against a real server over HTTPS.
 */
import t from 'tap';
import { stateLabel } from '../../src/apis/contract.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import type { KubeObject } from '../../src/client/types.js';
import { CONFIGMAPS } from '../../src/syncer/resources.js';
import { DirectSource } from '../../src/syncer/upstream/direct-source.js';
import { SharedUpstreamInformers } from '../../src/syncer/upstream/shared-informers.js';
import { staticWorkspaces } from '../../src/syncer/upstream/workspaces.js';
import { startServer } from '../helpers/tmc.js';
import { createWorkspace } from './harness.js';
import { waitFor } from '../helpers/wait.js';

t.test('DirectSources on shared informers see only their own objects, with filtered-watch semantics', async (t) => {
  const server = await startServer(t, {}, { components: [] });
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: server.kubeconfigPath, basePath: '' }));
  const ws = await createWorkspace(rootClient, 'root:shared');
  const shared = new SharedUpstreamInformers(rootClient);
  t.teardown(() => shared.stop());
  const events: Record<string, Array<{ name: string; old: boolean; labelled: boolean }>> = { a: [], b: [] };
  const sources = Object.fromEntries(['a', 'b'].map((key) => {
    const source = new DirectSource({ rootClient, clusterKey: key, resources: [CONFIGMAPS], workspaces: staticWorkspaces(['root:shared']), shared });
    source.onChange((_r, obj, old) => events[key].push({ name: obj.metadata!.name!, old: !!old, labelled: obj.metadata?.labels?.[stateLabel(key)] === 'Sync' }));
    return [key, source];
  })) as Record<'a' | 'b', DirectSource>;
  await Promise.all([sources.a.start(), sources.b.start()]);
  t.equal(shared.size(), 1, 'two syncers, one workspace, one resource: one informer');

  const ref = { resource: CONFIGMAPS, workspace: 'root:shared', namespace: 'default', name: 'cm' };
  await ws.create(CONFIGMAPS.gvr, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { [stateLabel('a')]: 'Sync' } }, data: { x: '1' } } as KubeObject);
  await ws.create(CONFIGMAPS.gvr, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unplaced' } } as KubeObject);
  await waitFor('a sees cm', async () => sources.a.get(ref) !== undefined);
  t.equal(sources.b.get(ref), undefined, 'b does not see an object labelled for a');
  t.same(sources.a.list(CONFIGMAPS).map((o) => o.metadata?.name), ['cm'], 'list is filtered too (the unplaced one is cached, not listed)');
  t.same(events.a, [{ name: 'cm', old: false, labelled: true }], 'a: one add');
  t.same(events.b, [], 'b: nothing');

  await ws.patch(CONFIGMAPS.gvr, 'default', 'cm', { metadata: { labels: { [stateLabel('b')]: 'Sync' } } }, { type: 'merge' });
  await waitFor('b sees cm', async () => sources.b.get(ref) !== undefined);
  t.same(events.b, [{ name: 'cm', old: false, labelled: true }], 'gaining the label is an add for b (no old object)');
  t.same(events.a.at(-1), { name: 'cm', old: true, labelled: true }, 'for a it is an update with the old object');

  await ws.patch(CONFIGMAPS.gvr, 'default', 'cm', { metadata: { labels: { [stateLabel('a')]: null } } }, { type: 'merge' });
  await waitFor('a no longer sees cm', async () => sources.a.get(ref) === undefined);
  t.same(events.a.at(-1), { name: 'cm', old: false, labelled: false }, 'losing the label reaches a like a delete');
  t.same(sources.a.list(CONFIGMAPS), []);
  t.ok(sources.b.get(ref), 'b still has it');

  await ws.delete(CONFIGMAPS.gvr, 'default', 'cm');
  await waitFor('b saw the delete', async () => sources.b.get(ref) === undefined);
  t.same(events.b.at(-1), { name: 'cm', old: false, labelled: true }, 'a delete carries the last (labelled) state');

  sources.a.stop();
  t.equal(shared.size(), 1, 'b still holds the informer');
  sources.b.stop();
  t.equal(shared.size(), 0, 'the last release stops it');
});
