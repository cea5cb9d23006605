/**
 * The sync engine end to end: a server-mode tmc-server, two cluster-mode servers registered as
 * Push ClusterRegistrations, the SyncerManager (discovering workspaces) syncing a Deployment and
 * its ConfigMap; status up; edits, drift, spec-diff, removal from one cluster, an Abort conflict,
 * a restart mid-sync, upstream deletion and the orphan count. Then pull mode through the
 * tmc-syncer binary.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  CLUSTER_KEY_LABEL, downstreamNamespaceName, specDiffAnnotation, stateLabel, statusAnnotation, syncerFinalizer,
} from '../../src/apis/contract.js';
import { CLUSTER_REGISTRATIONS } from '../../src/apis/tmc/gvr.js';
import type { KubeObject } from '../../src/client/types.js';
import { isNotFound } from '../../src/errors/status.js';
import { SyncerManager } from '../../src/syncer/manager/syncer-manager.js';
import { StatusAggregator } from '../../src/syncer/status/aggregator.js';
import { staticWorkspaces } from '../../src/syncer/upstream/workspaces.js';
import { syncerVWPrefix } from '../../src/syncer/upstream/syncer-vw-source.js';
import { DIST_ROOT, tempDir } from '../helpers/tmc.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, deployment, downstreamObjects, startTopology, type PhysicalCluster, type Topology } from '../syncer/harness.js';
import { waitFor } from '../helpers/wait.js';

type Deployment = KubeObject & { spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } }; status?: Record<string, unknown> & { conditions?: Array<Record<string, string>> } };

const nsOf = (topo: Topology, c: PhysicalCluster, ns = 'default'): string => downstreamNamespaceName({ workspace: topo.workspace, namespace: ns, cluster: c.key });
const getDown = (topo: Topology, c: PhysicalCluster, name: string): Promise<Deployment | undefined> =>
  c.client.get<Deployment>(DEPLOYMENTS, nsOf(topo, c), name).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
const getUp = (topo: Topology, name: string): Promise<Deployment | undefined> =>
  topo.ws.get<Deployment>(DEPLOYMENTS, 'default', name).catch((e) => { if (isNotFound(e)) return undefined; throw e; });

function startManager(topo: Topology): SyncerManager {
  // Workspaces are discovered (no lists given), the way the in-process component runs.
  return new SyncerManager(topo.rootClient, { discoveryIntervalMs: 200, namespaceCleanDelayMs: 200, resyncMs: 2_000 });
}

t.test('push mode: two clusters, the whole lifecycle', async (t) => {
  const topo = await startTopology(t, 2);
  const [c1, c2] = topo.clusters;
  let manager = startManager(topo);
  t.teardown(() => manager.stop());
  await manager.start();

  await topo.ws.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { MODE: 'prod' } });
  await topo.ws.create(DEPLOYMENTS, 'default', deployment('web', { [stateLabel(c1.key)]: 'Sync', [stateLabel(c2.key)]: 'Sync' }, { configMap: 'web-config' }));

  await t.test('lands on both clusters with its ConfigMap, transformed', async (t) => {
    for (const c of [c1, c2]) {
      const down = await waitFor(`web on ${c.name}`, () => getDown(topo, c, 'web'));
      t.equal(down.metadata?.labels?.[CLUSTER_KEY_LABEL], c.key, 'cluster-key label');
      t.notOk(Object.keys(down.metadata?.labels ?? {}).some((k) => k.startsWith('state.tmc.kcp.io/')), 'state labels stripped');
      t.notOk(down.metadata?.annotations?.['kcp.io/cluster'], 'kcp.io/cluster stripped');
      t.same(JSON.parse(down.metadata?.annotations?.['tmc.kcp.io/upstream'] ?? '{}'), { workspace: topo.workspace, namespace: 'default', name: 'web' });
      const ns = await c.client.get(NAMESPACES, undefined, nsOf(topo, c));
      t.same(JSON.parse(ns.metadata?.annotations?.['tmc.kcp.io/namespace-locator'] ?? '{}'), { workspace: topo.workspace, namespace: 'default', cluster: c.key });
      const cm = await waitFor(`web-config on ${c.name}`, () => c.client.get(CONFIGMAPS, nsOf(topo, c), 'web-config').catch(() => undefined));
      t.same((cm as { data?: unknown }).data, { MODE: 'prod' }, 'the referenced ConfigMap travelled');
    }
    const up = await getUp(topo, 'web');
    t.ok(up?.metadata?.finalizers?.includes(syncerFinalizer(c1.key)) && up.metadata.finalizers.includes(syncerFinalizer(c2.key)), 'both finalizers upstream');
  });

  await t.test('status: per-cluster annotations and the summed aggregate', async (t) => {
    for (const [c, ready] of [[c1, 3], [c2, 2]] as const) {
      const down = (await getDown(topo, c, 'web'))!;
      await c.client.patch(DEPLOYMENTS, nsOf(topo, c), 'web', {
        status: { observedGeneration: down.metadata?.generation, replicas: 3, readyReplicas: ready, availableReplicas: ready, updatedReplicas: 3,
          conditions: [{ type: 'Available', status: ready === 3 ? 'True' : 'False', reason: 'Test' }] },
      }, { type: 'merge', subresource: 'status' });
    }
    // The cluster's status simulator may also be writing: compare with whatever is downstream now.
    let expected = -1;
    const up = await waitFor('aggregate status', async () => {
      const sum = (await Promise.all([c1, c2].map((c) => getDown(topo, c, 'web')))).reduce((n, d) => n + Number(d?.status?.readyReplicas ?? 0), 0);
      const u = await getUp(topo, 'web');
      expected = sum;
      return u?.status?.readyReplicas === sum && u.status.replicas === 6 && u.status.observedGeneration === u.metadata?.generation ? u : undefined;
    });
    t.ok(expected > 0, 'some replicas ready downstream');
    t.equal(up.status?.readyReplicas, expected, 'ready replicas summed over clusters');
    t.ok(up.metadata?.annotations?.[statusAnnotation(c1.key)] && up.metadata.annotations[statusAnnotation(c2.key)], 'per-cluster status annotations');
    const cond = (type: string) => up.status?.conditions?.find((c) => c.type === type);
    t.equal(cond('Available')?.status, 'True', 'Available merged True > False');
    t.equal(cond('Synced')?.status, 'True');
    t.equal(cond(`Synced/${c2.key}`)?.status, 'True');
  });

  await t.test('an upstream edit reaches both clusters', async (t) => {
    await topo.ws.patch(DEPLOYMENTS, 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28', envFrom: [{ configMapRef: { name: 'web-config' } }] }] } } } }, { type: 'merge' });
    for (const c of [c1, c2]) {
      await waitFor(`new image on ${c.name}`, async () => (await getDown(topo, c, 'web'))?.spec.template.spec.containers[0].image === 'nginx:1.28');
    }
    t.pass('both updated');
  });

  await t.test('drift downstream is reverted', async (t) => {
    await c1.client.patch(DEPLOYMENTS, nsOf(topo, c1), 'web', { spec: { replicas: 7 } }, { type: 'merge' });
    const back = await waitFor('replicas back to 3', async () => { const d = await getDown(topo, c1, 'web'); return d?.spec.replicas === 3 ? d : undefined; });
    t.equal(back.spec.replicas, 3);
  });

  await t.test('a spec-diff applies to its cluster only', async (t) => {
    await topo.ws.patch(DEPLOYMENTS, 'default', 'web', { metadata: { annotations: { [specDiffAnnotation(c2.key)]: JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 2 }]) } } }, { type: 'merge' });
    await waitFor('2 replicas on cluster-2', async () => (await getDown(topo, c2, 'web'))?.spec.replicas === 2);
    t.equal((await getDown(topo, c1, 'web'))?.spec.replicas, 3, 'cluster-1 keeps 3');
  });

  await t.test('removing one cluster label removes it there only, and releases that cluster', async (t) => {
    await topo.ws.patch(DEPLOYMENTS, 'default', 'web', { metadata: { labels: { [stateLabel(c2.key)]: null } } }, { type: 'merge' });
    await waitFor('web gone from cluster-2', async () => (await getDown(topo, c2, 'web')) === undefined);
    t.ok(await getDown(topo, c1, 'web'), 'still on cluster-1');
    const up = await waitFor('cluster-2 released upstream', async () => {
      const u = await getUp(topo, 'web');
      return u && !u.metadata?.finalizers?.includes(syncerFinalizer(c2.key)) && !u.metadata?.annotations?.[statusAnnotation(c2.key)] ? u : undefined;
    });
    t.ok(up.metadata?.finalizers?.includes(syncerFinalizer(c1.key)), 'cluster-1 finalizer stays');
    await waitFor('dependency and namespace swept on cluster-2', async () =>
      (await downstreamObjects(c2, CONFIGMAPS)).length === 0 && (await downstreamObjects(c2, NAMESPACES)).length === 0);
    await waitFor('aggregate counts one cluster', async () => (await getUp(topo, 'web'))?.status?.replicas === 3);
  });

  await t.test('the deletion annotation (soft delete) removes it from a cluster', async (t) => {
    await topo.ws.create(DEPLOYMENTS, 'default', deployment('mover', { [stateLabel(c1.key)]: 'Sync', [stateLabel(c2.key)]: 'Sync' }));
    await waitFor('mover on both', async () => !!(await getDown(topo, c1, 'mover')) && !!(await getDown(topo, c2, 'mover')));
    await topo.ws.patch(DEPLOYMENTS, 'default', 'mover', { metadata: { annotations: { [`deletion.tmc.kcp.io/${c1.key}`]: new Date().toISOString() } } }, { type: 'merge' });
    await waitFor('mover gone from cluster-1', async () => (await getDown(topo, c1, 'mover')) === undefined);
    const up = await waitFor('state label and annotation dropped', async () => {
      const u = await getUp(topo, 'mover');
      return u && u.metadata?.labels?.[stateLabel(c1.key)] === undefined && !u.metadata?.annotations?.[`deletion.tmc.kcp.io/${c1.key}`] ? u : undefined;
    });
    t.notOk(up.metadata?.finalizers?.includes(syncerFinalizer(c1.key)));
    t.ok(await getDown(topo, c2, 'mover'), 'still on cluster-2');
  });

  await t.test('an existing foreign object with conflictResolution Abort is left alone, with a condition', async (t) => {
    const ns = nsOf(topo, c1);
    await waitFor('namespace on cluster-1', () => c1.client.get(NAMESPACES, undefined, ns).then(() => true));
    await c1.client.create(DEPLOYMENTS, ns, { ...deployment('clash', {}, { replicas: 9 }), metadata: { name: 'clash', labels: { app: 'clash', owner: 'someone-else' } } });
    await topo.ws.create(DEPLOYMENTS, 'default', deployment('clash', { [stateLabel(c1.key)]: 'Sync' }));
    const up = await waitFor('Synced False / Conflict upstream', async () => {
      const u = await getUp(topo, 'clash');
      const c = u?.status?.conditions?.find((x) => x.type === `Synced/${c1.key}`);
      return c?.status === 'False' && c.reason === 'Conflict' ? u : undefined;
    });
    t.equal(up.status?.conditions?.find((x) => x.type === 'Synced')?.reason, 'Conflict', 'the overall Synced condition shows it');
    t.match(JSON.parse(up.metadata?.annotations?.[statusAnnotation(c1.key)] ?? '{}'), { conditions: [{ type: 'Synced', status: 'False', reason: 'Conflict' }] });
    const foreign = await getDown(topo, c1, 'clash');
    t.equal(foreign?.spec.replicas, 9, 'the foreign object is untouched');
    t.notOk(foreign?.metadata?.labels?.[CLUSTER_KEY_LABEL], 'and not adopted');
  });

  await t.test('a syncer restarted mid-sync converges without duplicates', async (t) => {
    await manager.stop();
    await topo.ws.create(DEPLOYMENTS, 'default', deployment('late', { [stateLabel(c1.key)]: 'Sync' }));
    await topo.ws.patch(DEPLOYMENTS, 'default', 'web', { spec: { replicas: 4 } }, { type: 'merge' });
    manager = startManager(topo);
    await manager.start();
    await waitFor('late synced after restart', async () => !!(await getDown(topo, c1, 'late')));
    await waitFor('web edit synced after restart', async () => (await getDown(topo, c1, 'web'))?.spec.replicas === 4);
    const names = (await downstreamObjects(c1, DEPLOYMENTS)).map((d) => d.metadata?.name).sort();
    t.same(names, ['late', 'web'], 'one copy each on cluster-1 (mover was moved off it)');
    t.same((await downstreamObjects(c2, DEPLOYMENTS)).map((d) => d.metadata?.name), ['mover'], 'cluster-2 holds only mover');
  });

  await t.test('deleting upstream removes it everywhere; finalizers go; nothing is orphaned', async (t) => {
    for (const name of ['web', 'mover', 'late', 'clash']) await topo.ws.delete(DEPLOYMENTS, 'default', name);
    await waitFor('upstream objects gone (finalizers released)', async () => (await topo.ws.list(DEPLOYMENTS, { namespace: 'default' })).items.length === 0);
    for (const c of [c1, c2]) {
      await waitFor(`nothing of ours left on ${c.name}`, async () =>
        (await downstreamObjects(c, DEPLOYMENTS)).length === 0 && (await downstreamObjects(c, CONFIGMAPS)).length === 0);
    }
    await waitFor('cluster-2 namespaces cleaned', async () => (await downstreamObjects(c2, NAMESPACES)).length === 0);
    await new Promise((r) => setTimeout(r, 400)); // past the clean delay: cluster-1's sweep has decided too
    t.equal((await getDown(topo, c1, 'clash'))?.spec.replicas, 9, 'the foreign object survived (its namespace is kept)');
    t.pass('no orphans');
  });
});

t.test('pull mode: tmc-syncer as a child process', async (t) => {
  const topo = await startTopology(t, 1, 'root:pull', 'Pull');
  const [c1] = topo.clusters;
  const child = spawn(process.execPath, [join(DIST_ROOT, 'src', 'cmd', 'tmc-syncer.js'),
    '--from-kubeconfig', topo.server.kubeconfigPath, '--to-kubeconfig', c1.running.kubeconfigPath,
    '--registration-workspace', topo.workspace, '--registration', c1.name, '--heartbeat-interval', '0.5',
    '--workload-workspaces', topo.workspace, '--namespace-clean-delay', '0.2', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.once('exit', r));
  t.teardown(async () => { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } });
  await waitFor(`tmc-syncer ready (output: ${out})`, async () => out.includes('tmc-syncer ready'));

  await topo.ws.create(DEPLOYMENTS, 'default', deployment('pulled', { [stateLabel(c1.key)]: 'Sync' }, { replicas: 2 }));
  const down = await waitFor('pulled on the cluster', () => getDown(topo, c1, 'pulled'));
  t.equal(down.spec.replicas, 2);
  await c1.client.patch(DEPLOYMENTS, nsOf(topo, c1), 'pulled', { status: { observedGeneration: down.metadata?.generation, replicas: 2, readyReplicas: 2 } }, { type: 'merge', subresource: 'status' });
  await waitFor('aggregate through the pull agent', async () => (await getUp(topo, 'pulled'))?.status?.readyReplicas === 2);
  const reg = await waitFor('heartbeat', async () => {
    const r = await topo.ws.get<KubeObject & { status?: { lastHeartbeatTime?: string } }>(CLUSTER_REGISTRATIONS, undefined, c1.name);
    return r.status?.lastHeartbeatTime ? r : undefined;
  });
  t.ok(Date.parse(reg.status!.lastHeartbeatTime!) > Date.now() - 60_000, 'a recent heartbeat');

  await topo.ws.delete(DEPLOYMENTS, 'default', 'pulled');
  await waitFor('gone downstream', async () => (await downstreamObjects(c1, DEPLOYMENTS)).length === 0);
  await waitFor('gone upstream', async () => (await getUp(topo, 'pulled')) === undefined);
  t.pass('pull mode round trip');
});

t.test('pull mode through the syncer virtual workspace', async (t) => {
  const topo = await startTopology(t, 1, 'root:pullvw', 'Pull');
  const [c1] = topo.clusters;
  const reg = await topo.ws.get(CLUSTER_REGISTRATIONS, undefined, c1.name);
  // The agent's kubeconfig points at the VW; the server-side aggregator sums the statuses it writes.
  const vwURL = `${topo.server.url}${syncerVWPrefix(topo.workspace, c1.name, reg.metadata!.uid!)}`;
  const kubeconfig = join(tempDir(t), 'vw.kubeconfig');
  writeFileSync(kubeconfig, readFileSync(topo.server.kubeconfigPath, 'utf8').replace(/server: \S+/, `server: ${vwURL}`));
  const aggregator = new StatusAggregator({ rootClient: topo.rootClient, workspaces: staticWorkspaces([topo.workspace]) });
  await aggregator.start();
  t.teardown(() => aggregator.stop());
  const child = spawn(process.execPath, [join(DIST_ROOT, 'src', 'cmd', 'tmc-syncer.js'),
    '--from-kubeconfig', kubeconfig, '--to-kubeconfig', c1.running.kubeconfigPath,
    '--registration-workspace', topo.workspace, '--registration', c1.name, '--registration-uid', reg.metadata!.uid!,
    '--heartbeat-interval', '0.5', '--namespace-clean-delay', '0.2', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.once('exit', r));
  t.teardown(async () => { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } });
  await waitFor('tmc-syncer ready', async () => out.includes('tmc-syncer ready')).catch((e) => { throw new Error(`${e.message}\n${out}`); });
  t.match(out, /upstream syncer-vw/, 'the VW source was chosen from the kubeconfig');

  await topo.ws.create(DEPLOYMENTS, 'default', deployment('viavw', { [stateLabel(c1.key)]: 'Sync' }, { replicas: 2 }));
  const down = await waitFor(`viavw on the cluster (agent output: ${out})`, () => getDown(topo, c1, 'viavw'));
  t.equal(down.spec.replicas, 2);
  const up = await waitFor('finalizer and per-cluster status through the VW', async () => {
    const u = await getUp(topo, 'viavw');
    return u?.metadata?.finalizers?.includes(syncerFinalizer(c1.key)) && u.metadata.annotations?.[statusAnnotation(c1.key)] ? u : undefined;
  });
  t.ok(up, 'finalizer added and status annotation written through the VW');
  await waitFor('aggregate Synced condition', async () => (await getUp(topo, 'viavw'))?.status?.conditions?.some((c) => c.type === 'Synced' && c.status === 'True'));

  await topo.ws.delete(DEPLOYMENTS, 'default', 'viavw');
  await waitFor('gone downstream', async () => (await downstreamObjects(c1, DEPLOYMENTS)).length === 0);
  await waitFor('gone upstream (finalizer released through the VW)', async () => (await getUp(topo, 'viavw')) === undefined);
  t.pass('VW round trip');
});
