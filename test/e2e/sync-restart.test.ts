/**
 * tmc-server killed and restarted mid-sync converges without duplicates or leftovers.
 *
 * Three child processes, as a user runs them: tmc-server (sqlite, default wiring: placement,
 * cluster health and the push-mode SyncerManager in-process) and two `--mode cluster` servers.
 * The quickstart's setup over HTTPS (workspace, bindings, two kubeconfig Secrets and
 * ClusterRegistrations, a WorkloadPlacement), then N Deployments created and tmc-server SIGKILLed
 * right after, while the syncers are still working through them. Restarted on the same data dir
 * (on another port: the clusters are registered by their own URLs, which do not change), every
 * Deployment must end up on each cluster exactly once (one copy, one namespace per
 * workspace/namespace), with the aggregate status upstream; deleted upstream, nothing of it may
 * remain downstream and the upstream objects must go (finalizers released).
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { CLUSTER_KEY_LABEL, NAMESPACE_LOCATOR_ANNOTATION, downstreamNamespaceName, stateLabel, syncerFinalizer } from '../../src/apis/contract.js';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import type { KubeObject } from '../../src/client/types.js';
import { isNotFound } from '../../src/errors/status.js';
import { spawnServer, tempDir, type SpawnedServer } from '../helpers/tmc.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, SECRETS } from '../syncer/harness.js';
import { API_BINDINGS as APIBINDINGS, WORKSPACES } from '../../src/apis/gvr.js';
import { waitFor } from '../helpers/wait.js';

const WS = 'root:demo';
const N = 10;
const names = Array.from({ length: N }, (_, i) => `web-${i}`);

type Deployment = KubeObject & { status?: { readyReplicas?: number; replicas?: number; conditions?: Array<{ type: string; status: string }> } };
type Registration = KubeObject & { status?: { clusterKey?: string; conditions?: Array<{ type: string; status: string }> } };

interface Connected { client: KubeClient; close(): void }

function connect(server: SpawnedServer): Connected {
  const transport = httpTransportFromKubeConfig({ file: server.kubeconfigPath, basePath: '' });
  return { client: new KubeClient(transport), close: () => transport.close() };
}

const phaseOf = (o: KubeObject | undefined): unknown => (o as { status?: { phase?: string } } | undefined)?.status?.phase;

t.test('tmc-server SIGKILLed mid-sync and restarted: no duplicates, no leftovers', async (t) => {
  const dataDir = tempDir(t, 'tmc-restart-');
  const [first, east, west] = await Promise.all([
    spawnServer(t, ['--storage', 'sqlite'], { dataDir }),
    spawnServer(t, ['--mode', 'cluster', '--nodes', '2']),
    spawnServer(t, ['--mode', 'cluster', '--nodes', '2']),
  ]);
  const clusters = [{ name: 'east', server: east }, { name: 'west', server: west }].map((c) => ({ ...c, ...connect(c.server) }));
  t.teardown(() => { for (const c of clusters) c.close(); });
  let tmc = connect(first);
  t.teardown(() => tmc.close());

  // --- the quickstart's setup ------------------------------------------------------------------
  await tmc.client.forCluster('root').create(WORKSPACES, undefined, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'demo' } });
  await waitFor('workspace Ready', async () => phaseOf(await tmc.client.forCluster('root').get(WORKSPACES, undefined, 'demo')) === 'Ready');
  const ws = (): KubeClient => tmc.client.forCluster(WS);
  await ws().create(APIBINDINGS, undefined, { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'kubernetes' }, spec: { reference: { export: { path: 'root:compute', name: 'kubernetes' } } } });
  await ws().create(APIBINDINGS, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'tmc' },
    spec: {
      reference: { export: { path: 'root:tmc', name: 'tmc.kcp.io' } },
      permissionClaims: ['namespaces', 'configmaps', 'secrets'].map((resource) => ({ group: '', resource, all: true, state: 'Accepted' }))
        .concat([{ group: 'apps', resource: 'deployments', all: true, state: 'Accepted' }]),
    },
  });
  for (const b of ['kubernetes', 'tmc']) await waitFor(`binding ${b} Bound`, async () => phaseOf(await ws().get(APIBINDINGS, undefined, b)) === 'Bound');
  await waitFor('deployments served', () => ws().list(DEPLOYMENTS, { namespace: 'default' }).then(() => true));

  for (const c of clusters) {
    await ws().create(SECRETS, 'default', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: `${c.name}-kubeconfig` },
      data: { kubeconfig: readFileSync(c.server.kubeconfigPath).toString('base64') },
    });
    await ws().create(CLUSTER_REGISTRATIONS, undefined, {
      apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: { name: c.name },
      spec: { location: c.name, clusterEndpoint: { serverURL: c.server.url.replace(/\/clusters\/.*$/, ''), secretRef: { namespace: 'default', name: `${c.name}-kubeconfig` } } },
    });
  }
  const keys: string[] = [];
  for (const c of clusters) {
    const reg = await waitFor(`${c.name} Ready`, async () => {
      const r = await ws().get<Registration>(CLUSTER_REGISTRATIONS, undefined, c.name);
      return r.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && r.status.clusterKey ? r : undefined;
    }, { timeoutMs: 60_000, everyMs: 200 });
    keys.push(reg.status!.clusterKey!);
  }
  t.equal(new Set(keys).size, 2, 'two distinct cluster keys');

  await ws().create(WORKLOAD_PLACEMENTS, 'default', {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'web' },
    spec: {
      workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], labelSelector: { matchLabels: { tier: 'web' } } },
      numberOfClusters: 2, replicaScheduling: { type: 'Duplicated' },
    },
  });

  // --- N Deployments, and tmc-server killed while they are being placed and synced ----------------
  await ws().create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { MODE: 'prod' } });
  await Promise.all(names.map((name) => ws().create(DEPLOYMENTS, 'default', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name, tier: 'web' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', envFrom: [{ configMapRef: { name: 'web-config' } }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  })));
  // Give placement and the syncers a moment to be in the middle of it, then pull the plug.
  const downstreamBefore = await waitFor('the first copy downstream', async () => {
    const n = (await Promise.all(clusters.map((c) => c.client.list(DEPLOYMENTS, { labelSelector: CLUSTER_KEY_LABEL })))).reduce((s, l) => s + l.items.length, 0);
    return n > 0 ? n : undefined;
  }, { timeoutMs: 30_000, everyMs: 20 });
  await first.kill('SIGKILL');
  t.comment(`killed tmc-server with ${downstreamBefore} of ${2 * N} copies downstream`);

  // --- restart on the same data dir ----------------------------------------------------------
  tmc.close();
  const second = await spawnServer(t, ['--storage', 'sqlite'], { dataDir });
  tmc = connect(second);

  const upstream = await ws().list<Deployment>(DEPLOYMENTS, { namespace: 'default' });
  t.equal(upstream.items.length, N, 'every Deployment survived the kill upstream');

  await t.test('every Deployment on each cluster exactly once, status aggregated', async (t) => {
    for (const [i, c] of clusters.entries()) {
      const down = await waitFor(`${N} copies on ${c.name}`, async () => {
        const items = (await c.client.list(DEPLOYMENTS, { labelSelector: `${CLUSTER_KEY_LABEL}=${keys[i]}` })).items;
        return items.length >= N ? items : undefined;
      }, { timeoutMs: 60_000, everyMs: 200 });
      const byName = new Map<string, number>();
      for (const d of down) byName.set(d.metadata!.name!, (byName.get(d.metadata!.name!) ?? 0) + 1);
      t.same([...byName.keys()].sort(), [...names].sort(), `${c.name}: exactly the placed Deployments`);
      t.ok([...byName.values()].every((n) => n === 1), `${c.name}: no duplicates`);
      const everything = (await c.client.list(DEPLOYMENTS)).items;
      t.equal(everything.length, N, `${c.name}: no other Deployments at all`);
      const expectedNs = downstreamNamespaceName({ workspace: WS, namespace: 'default', cluster: keys[i] });
      t.same([...new Set(down.map((d) => d.metadata?.namespace))], [expectedNs], `${c.name}: all in the one namespace of ${WS}/default`);
      const tmcNamespaces = (await c.client.list(NAMESPACES)).items.filter((ns) => ns.metadata?.annotations?.[NAMESPACE_LOCATOR_ANNOTATION]);
      t.same(tmcNamespaces.map((ns) => ns.metadata?.name), [expectedNs], `${c.name}: one TMC namespace, no second one for the same workspace/namespace`);
      const cms = (await c.client.list(CONFIGMAPS, { labelSelector: `${CLUSTER_KEY_LABEL}=${keys[i]}` })).items;
      t.same(cms.map((cm) => `${cm.metadata?.namespace}/${cm.metadata?.name}`), [`${expectedNs}/web-config`], `${c.name}: the ConfigMap once`);
    }
    await waitFor('aggregate status: 2/2 ready on every Deployment', async () => {
      const items = (await ws().list<Deployment>(DEPLOYMENTS, { namespace: 'default' })).items;
      return items.length === N && items.every((d) => d.status?.readyReplicas === 2 && d.status.replicas === 2
        && d.status.conditions?.some((c) => c.type === 'Synced' && c.status === 'True'));
    }, { timeoutMs: 60_000, everyMs: 250 });
    const up = await ws().list<Deployment>(DEPLOYMENTS, { namespace: 'default' });
    for (const d of up.items) {
      const fin = d.metadata?.finalizers ?? [];
      if (!keys.every((k) => fin.filter((f) => f === syncerFinalizer(k)).length === 1)) t.fail(`${d.metadata?.name}: one finalizer per cluster, got ${fin.join(',')}`);
      if (!keys.every((k) => d.metadata?.labels?.[stateLabel(k)] === 'Sync')) t.fail(`${d.metadata?.name}: Sync for both clusters`);
    }
    t.pass(`${N} Deployments, each Sync to both clusters with one finalizer each, 2/2 ready upstream`);
  });

  await t.test('deleted upstream: nothing left downstream, finalizers released', async (t) => {
    await Promise.all(names.map((name) => ws().delete(DEPLOYMENTS, 'default', name)));
    await waitFor('upstream Deployments gone', async () => (await ws().list(DEPLOYMENTS, { namespace: 'default' })).items.length === 0, { timeoutMs: 60_000, everyMs: 200 })
      .catch(async (err) => {
        const left = (await ws().list(DEPLOYMENTS, { namespace: 'default' })).items.map((d) => `${d.metadata?.name}: ${d.metadata?.finalizers?.join(',')}`);
        throw new Error(`${(err as Error).message}; left: ${left.join('; ')}`);
      });
    t.pass('every upstream Deployment is gone (finalizers released)');
    for (const [i, c] of clusters.entries()) {
      t.same((await c.client.list(DEPLOYMENTS)).items.map((d) => d.metadata?.name), [], `${c.name}: no Deployment left`);
      // The ConfigMap travelled as a dependency: the namespace sweep removes it once unreferenced.
      await waitFor(`${c.name}: dependency swept`, async () =>
        (await c.client.list(CONFIGMAPS, { labelSelector: `${CLUSTER_KEY_LABEL}=${keys[i]}` })).items.length === 0, { timeoutMs: 20_000, everyMs: 200 });
      t.pass(`${c.name}: no ConfigMap left`);
    }
    t.ok(await ws().get(DEPLOYMENTS, 'default', names[0]).then(() => false, (e) => isNotFound(e)), 'a GET upstream says NotFound');
  });
});
