/**
 * The controller against a running tmc-server: decisions reach the placement's status, the
 * Deployments' labels and PlacementDecisions; taints, cordon, drain and NotReady behave as
 * documented (docs/placement.md); rollback pins and unpins.
 */
import t from 'tap';
import { clusterKey } from '../../../src/apis/contract.js';
import { WORKLOAD_PLACEMENTS, candidateRows } from '../../../src/apis/tmc/index.js';
import type { ListWatchSource } from '../../../src/client/informer.js';
import { WorkloadPlacementController } from '../../../src/reconcilers/workloadplacement/index.js';
import { silentLogger } from '../../../src/observability/logger.js';

import {
  NS, WS, DEPLOYMENTS, createCluster, createDeployment, createPlacement, decisions, getPlacement, patchCluster, placedOn, readyConditions, startEnv,
} from './env.js';
import { waitFor } from '../../helpers/wait.js';

const ALL = ['c1', 'c2', 'c3'];

t.test('workloadplacement controller end to end', async (t) => {
  const { rootClient, team } = await startEnv(t);
  for (const c of ALL) await createCluster(team, c);
  await createDeployment(team, 'web', 4);
  const controller = new WorkloadPlacementController({ kubeClient: rootClient, workspaces: [WS], logger: silentLogger(), syncTimeoutMs: 5000 });
  await controller.start();
  t.teardown(() => controller.stop());

  await createPlacement(team, 'web', {
    workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }] },
    numberOfClusters: 2, replicaScheduling: { type: 'Divided' },
    failover: { tolerationSeconds: 1, purgeMode: 'Immediately' },
  });

  await t.test('decisions land in status, labels and PlacementDecisions', async (t) => {
    await waitFor('Scheduled', async () => (await getPlacement(team, 'web')).status?.phase === 'Scheduled', { timeoutMs: 15_000 });
    const p = await getPlacement(team, 'web');
    t.same(p.status?.decisions?.map((d) => [d.clusterName, d.replicas]), [['c1', 2], ['c2', 2]]);
    t.equal(p.status?.currentRevision, 1);
    t.equal(p.status?.observedGeneration, 1);
    t.equal(p.status?.conditions?.find((c) => c.type === 'Scheduled')?.status, 'True');
    t.same(await placedOn(team, 'web', ALL), ['c1', 'c2']);
    const d = await team.get(DEPLOYMENTS, NS, 'web');
    t.equal(d.metadata.annotations?.['tmc.kcp.io/placement'], `${NS}/web`);
    t.same(JSON.parse(d.metadata.annotations?.[`spec-diff.tmc.kcp.io/${clusterKey(WS, 'c1')}`] ?? '[]'), [{ op: 'replace', path: '/spec/replicas', value: 2 }]);
    const [rec] = await decisions(team);
    t.equal(rec.metadata.name, 'web-1');
    t.equal(rec.spec.trigger, 'PlacementCreated');
    t.equal(rec.spec.evaluation?.considered, 3);
    t.equal(candidateRows(rec.spec.evaluation).length, 3);
  });

  await t.test('NoSchedule keeps, NoExecute moves', async (t) => {
    await patchCluster(team, 'c3', { spec: { taints: [{ key: 'maint', effect: 'NoSchedule' }] } });
    await patchCluster(team, 'c1', { spec: { taints: [{ key: 'maint', effect: 'NoSchedule' }] } });
    await new Promise((r) => setTimeout(r, 300));
    t.same(await placedOn(team, 'web', ALL), ['c1', 'c2'], 'NoSchedule on a placed cluster keeps it');
    await patchCluster(team, 'c3', { spec: { taints: null } });
    await new Promise((r) => setTimeout(r, 300));
    await patchCluster(team, 'c1', { spec: { taints: [{ key: 'maint', effect: 'NoExecute' }] } });
    await waitFor('moved off c1', async () => (await placedOn(team, 'web', ALL)).join() === 'c2,c3', { timeoutMs: 15_000 });
    const last = (await decisions(team)).at(-1);
    t.equal(last?.spec.trigger, 'Failover');
    t.same(last?.spec.previous?.map((p) => p.clusterName), ['c1', 'c2']);
    const c1 = candidateRows(last?.spec.evaluation).find((c) => c.clusterName === 'c1');
    t.ok(c1?.filters?.some((f) => f.plugin === 'TaintToleration' && !f.passed && f.reason === 'UntoleratedTaint'), 'the record says why');
    await patchCluster(team, 'c1', { spec: { taints: null } });
  });

  await t.test('cordon keeps, drain moves', async (t) => {
    await patchCluster(team, 'c2', { spec: { unschedulable: true } });
    await new Promise((r) => setTimeout(r, 300));
    t.same(await placedOn(team, 'web', ALL), ['c2', 'c3'], 'cordoned c2 keeps its share');
    await waitFor('c2 Retained', async () => (await getPlacement(team, 'web')).status?.decisions?.find((d) => d.clusterName === 'c2')?.reason === 'Retained', { timeoutMs: 10_000 });
    await patchCluster(team, 'c2', { spec: { unschedulable: false, evictAfter: new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } });
    await waitFor('drained off c2', async () => (await placedOn(team, 'web', ALL)).join() === 'c1,c3', { timeoutMs: 15_000 });
    await patchCluster(team, 'c2', { spec: { evictAfter: null } });
  });

  await t.test('NotReady past tolerationSeconds moves the share', async (t) => {
    await patchCluster(team, 'c3', { status: readyConditions(false) }, true);
    // within the 1 s toleration the share stays; the controller requeues itself for the deadline
    t.same(await placedOn(team, 'web', ALL), ['c1', 'c3']);
    await waitFor('moved off NotReady c3', async () => !(await placedOn(team, 'web', ALL)).includes('c3'), { timeoutMs: 15_000 });
    t.equal((await placedOn(team, 'web', ALL)).length, 2);
  });

  await t.test('rollback pins and unpins', async (t) => {
    await patchCluster(team, 'c3', { status: readyConditions(true) }, true);
    await team.patch(WORKLOAD_PLACEMENTS, NS, 'web', { spec: { pinnedRevision: 1 } }, { type: 'merge' });
    await waitFor('pinned', async () => (await getPlacement(team, 'web')).status?.conditions?.find((c) => c.type === 'Scheduled')?.reason === 'Pinned', { timeoutMs: 15_000 });
    t.same(await placedOn(team, 'web', ALL), ['c1', 'c2'], 'on the clusters of revision 1');
    const p = await getPlacement(team, 'web');
    const scheduled = p.status?.conditions?.find((c) => c.type === 'Scheduled');
    t.equal(scheduled?.reason, 'Pinned');
    t.match(scheduled?.message, /pinned to revision 1/);
    t.equal((await decisions(team)).at(-1)?.spec.trigger, 'Rollback');

    await team.patch(WORKLOAD_PLACEMENTS, NS, 'web', { spec: { pinnedRevision: null } }, { type: 'merge' });
    await waitFor('unpinned', async () => (await getPlacement(team, 'web')).status?.conditions?.find((c) => c.type === 'Scheduled')?.reason === 'Scheduled', { timeoutMs: 15_000 });
    t.equal((await placedOn(team, 'web', ALL)).length, 2, 'scheduling resumed');
  });

  await t.test('deleting the placement releases the workload', async (t) => {
    await team.delete(WORKLOAD_PLACEMENTS, NS, 'web');
    await waitFor('labels removed', async () => (await placedOn(team, 'web', ALL)).length === 0, { timeoutMs: 15_000 });
    const d = await team.get(DEPLOYMENTS, NS, 'web');
    t.equal(d.metadata.annotations?.['tmc.kcp.io/placement'], undefined);
    await waitFor('decisions deleted', async () => (await decisions(team)).length === 0, { timeoutMs: 10_000 });
  });
});

t.test('placements spread over clusters (Balance); name and label selectors follow their workloads', async (t) => {
  const { rootClient, team } = await startEnv(t);
  for (const c of ALL) await createCluster(team, c);
  const controller = new WorkloadPlacementController({ kubeClient: rootClient, workspaces: [WS], logger: silentLogger(), syncTimeoutMs: 5000 });
  await controller.start();
  t.teardown(() => controller.stop());

  await t.test('three identical placements of one cluster each land on three clusters', async (t) => {
    const chosen: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      await createDeployment(team, name, 1);
      await createPlacement(team, name, { workloadSelector: { names: [name] }, numberOfClusters: 1 });
      await waitFor(`${name} Scheduled`, async () => (await getPlacement(team, name)).status?.phase === 'Scheduled', { timeoutMs: 15_000 });
      const on = await placedOn(team, name, ALL);
      t.equal(on.length, 1, `${name} is on one cluster`);
      chosen.push(on[0]);
    }
    // Without the other placements' counts every cluster scores alike and the name tie-break puts all three on c1.
    t.same([...chosen].sort(), ALL, `one per cluster (${chosen.join(', ')})`);
  });

  await t.test('a label-selecting placement places a workload when its labels start matching and releases it when they stop', async (t) => {
    await createDeployment(team, 'api', 1);
    await createPlacement(team, 'tier', { workloadSelector: { labelSelector: { matchLabels: { tier: 'backend' } } }, numberOfClusters: 1 });
    await waitFor('tier sees no workload', async () => (await getPlacement(team, 'tier')).status?.conditions?.some((c) => c.type === 'Scheduled' && c.reason === 'NoWorkloadsSelected') === true, { timeoutMs: 15_000 });
    t.same(await placedOn(team, 'api', ALL), [], 'api is not placed yet');
    await team.patch(DEPLOYMENTS, NS, 'api', { metadata: { labels: { tier: 'backend' } } }, { type: 'merge' });
    await waitFor('api placed once labelled', async () => (await placedOn(team, 'api', ALL)).length === 1, { timeoutMs: 15_000 });
    t.equal((await team.get(DEPLOYMENTS, NS, 'api')).metadata.annotations?.['tmc.kcp.io/placement'], `${NS}/tier`);
    await team.patch(DEPLOYMENTS, NS, 'api', { metadata: { labels: { tier: null } } }, { type: 'merge' });
    await waitFor('api released once unlabelled', async () => (await placedOn(team, 'api', ALL)).length === 0, { timeoutMs: 15_000 });
    t.equal((await team.get(DEPLOYMENTS, NS, 'api')).metadata.annotations?.['tmc.kcp.io/placement'], undefined);
  });

  await t.test('a name-selecting placement picks up its workload when it is created after the placement', async (t) => {
    await createPlacement(team, 'late', { workloadSelector: { names: ['late'] }, numberOfClusters: 1 });
    await new Promise((r) => setTimeout(r, 200));
    await createDeployment(team, 'late', 1);
    await waitFor('late placed', async () => (await placedOn(team, 'late', ALL)).length === 1, { timeoutMs: 15_000 });
  });
});

t.test('a burst of placements spreads evenly: each reconcile sees the ones before it (read-your-writes)', async (t) => {
  const { rootClient, team } = await startEnv(t);
  for (const c of ALL) await createCluster(team, c);
  const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
  for (const n of names) await createDeployment(team, n, 1);
  // All created before the controller starts, and every watch event held back 400 ms (a loaded
  // server): one worker takes the placements back to back, long before its own status writes come
  // back through the watch. Without read-your-writes they all go to the same cluster.
  for (const n of names) await createPlacement(team, n, { workloadSelector: { names: [n] }, numberOfClusters: 1 });
  const lagging = (ws: string): ListWatchSource => {
    const direct = rootClient.forCluster(ws);
    return {
      list: (gvr, opts) => direct.list(gvr, opts),
      watch: (gvr, opts, onEvent, onDone) => direct.watch(gvr, opts, (e) => { setTimeout(() => onEvent(e), 400); }, (err) => { setTimeout(() => onDone(err), 400); }),
    };
  };
  const controller = new WorkloadPlacementController({ kubeClient: rootClient, workspaces: [WS], sourceFor: lagging, logger: silentLogger(), syncTimeoutMs: 5000, workers: 1 });
  await controller.start();
  t.teardown(() => controller.stop());
  await waitFor('all Scheduled', async () => (await Promise.all(names.map((n) => getPlacement(team, n)))).every((p) => p.status?.phase === 'Scheduled'), { timeoutMs: 15_000 });
  const perCluster = new Map<string, number>();
  for (const n of names) for (const c of await placedOn(team, n, ALL)) perCluster.set(c, (perCluster.get(c) ?? 0) + 1);
  t.same(Object.fromEntries([...perCluster].sort()), { c1: 2, c2: 2, c3: 2 }, 'two placements per cluster');
  t.same((await decisions(team)).map((d) => d.spec.revision), [1, 1, 1, 1, 1, 1], 'one record per placement, none written twice');
});
