/**
 * An HA deployment for e2e tests and benches: an N-member etcd, tmc-server replicas as child
 * processes sharing one PKI (as behind one address), M `tmc-server --mode cluster` physical
 * clusters registered as Push ClusterRegistrations (made Ready by the leader's cluster-registration
 * controller), and one workspace whose Deployments labelled `ha=yes` are placed on every cluster.
 * Requests go round-robin to the replicas marked up, as through a load balancer.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterKey, clusterOf } from '../../src/apis/contract.js';
import { LEASES_GVR, syncerShardLeaseName } from '../../src/apis/ha.js';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { resolveKubeConfig } from '../../src/client/kubeconfig.js';
import type { KubeObject } from '../../src/client/types.js';
import { DEPLOYMENTS, SECRETS, bind, createWorkspace, deployment } from '../syncer/harness.js';
import { startEtcdCluster, type EtcdCluster } from './etcd.js';
import { spawnServer, tempDir, type SpawnedServer, type Teardown } from './tmc.js';
import { waitFor } from './wait.js';

export type Lease = KubeObject & { spec?: { holderIdentity?: string; renewTime?: string } };

export interface Replica {
  id: string;
  srv: SpawnedServer;
  /** A client for the server root of this replica. */
  root: KubeClient;
  /** Only replicas marked up get requests. */
  state: 'up' | 'killed' | 'stopped';
}

export interface HaCluster { name: string; srv: SpawnedServer; client: KubeClient; lease: string }

export interface HaTopologyOptions {
  etcdMembers: number;
  replicas: string[];
  clusters: number;
  /** --leader-elect-lease-duration, in ms (renew deadline 2/3 of it, retry period 1/6). */
  leaseMs: number;
  workspace: string;
  /** Simulated nodes per cluster (pods of 100m on 4-CPU nodes: 40 a node). */
  nodes?: number;
  /** Extra tmc-server arguments for the replicas. */
  replicaArgs?: string[];
}

export interface HaTopology {
  etcd: EtcdCluster;
  replicas: Replica[];
  clusters: HaCluster[];
  /** Starts (or restarts, same id and data dir) a replica. */
  start(id: string, dataDir?: string): Promise<Replica>;
  /** The next replica that is up (round-robin). */
  up(): Replica;
  /** The workspace through a replica (the next up one by default). */
  ws(r?: Replica): KubeClient;
  /** Every Lease in root's `default` namespace, by name, read through a replica that is up. */
  leases(): Promise<Map<string, Lease>>;
  /** The holder of a Lease renewed within the lease duration (same machine, same clock). */
  liveHolder(l: Lease | undefined): string | undefined;
  /** Cluster name → the replica syncing it now (undefined: nobody holds its Lease). */
  owners(): Promise<Map<string, string | undefined>>;
}

function ms(n: number): string {
  return `${Math.round(n)}ms`;
}

export async function startHaTopology(t: Teardown, o: HaTopologyOptions): Promise<HaTopology> {
  const etcd = await startEtcdCluster(t, o.etcdMembers);
  const timings = ['--leader-elect', 'true', '--leader-elect-lease-duration', ms(o.leaseMs),
    '--leader-elect-renew-deadline', ms((o.leaseMs * 2) / 3), '--leader-elect-retry-period', ms(o.leaseMs / 6)];
  const pkiDir = tempDir(t);
  const replicas: Replica[] = [];
  // Nothing is left stopped, whatever happens: a frozen process would hold its ports and memory.
  t.teardown(() => { for (const r of replicas) r.srv.child.kill('SIGCONT'); });
  let creds: { ca: string; cert: string; key: string } | undefined;

  const start = async (id: string, dataDir = tempDir(t)): Promise<Replica> => {
    if (dataDir !== pkiDir) cpSync(join(pkiDir, 'pki'), join(dataDir, 'pki'), { recursive: true, force: false });
    const srv = await spawnServer(t, ['--storage', 'etcd', '--etcd-servers', etcd.clientURLs.join(','), '--replica-id', id, ...timings, ...(o.replicaArgs ?? [])], { dataDir, readyTimeoutMs: 120_000 });
    if (!creds) {
      const kc = resolveKubeConfig({ file: srv.kubeconfigPath });
      creds = { ca: String(kc.ca), cert: String(kc.cert), key: String(kc.key) };
    }
    const replica: Replica = { id, srv, root: new KubeClient(new HttpTransport({ server: srv.url, ...creds, requestTimeoutMs: 10_000 })), state: 'up' };
    t.teardown(() => replica.root.transport.close?.());
    const i = replicas.findIndex((r) => r.id === id);
    if (i >= 0) replicas[i] = replica; else replicas.push(replica);
    return replica;
  };
  // the first creates the PKI the others copy
  await start(o.replicas[0], pkiDir);
  const [clusterServers] = await Promise.all([
    Promise.all(Array.from({ length: o.clusters }, () => spawnServer(t, ['--mode', 'cluster', '--nodes', String(o.nodes ?? 8), '--ready-delay', '300'], { readyTimeoutMs: 120_000 }))),
    ...o.replicas.slice(1).map((id) => start(id)),
  ]);

  let turn = 0;
  const up = (): Replica => {
    const live = replicas.filter((r) => r.state === 'up');
    return live[turn++ % live.length];
  };
  const ws = (r = up()) => r.root.forCluster(o.workspace);
  const leases = async (): Promise<Map<string, Lease>> =>
    new Map(((await up().root.forCluster('root').list(LEASES_GVR, { namespace: 'default' })).items as Lease[]).map((l) => [l.metadata?.name ?? '', l]));
  const liveHolder = (l: Lease | undefined): string | undefined =>
    l?.spec?.holderIdentity && Date.now() - Date.parse(l.spec.renewTime ?? '') < o.leaseMs ? l.spec.holderIdentity : undefined;

  const wsClient = await createWorkspace(replicas[0].root, o.workspace);
  await bind(wsClient, 'kubernetes', 'root:compute', 'kubernetes');
  await bind(wsClient, 'tmc', 'root:tmc', 'tmc.kcp.io');
  await waitFor('bindings', () => Promise.all([ws().list(DEPLOYMENTS, { namespace: 'default' }), ws().list(CLUSTER_REGISTRATIONS)]).then(() => true), { timeoutMs: 60_000, everyMs: 250 });
  const clusters: HaCluster[] = clusterServers.map((srv, i) => ({
    name: `cluster-${i + 1}`, srv, client: new KubeClient(httpTransportFromKubeConfig({ file: srv.kubeconfigPath, basePath: '' })), lease: '',
  }));
  for (const c of clusters) {
    t.teardown(() => c.client.transport.close?.());
    await wsClient.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${c.name}-kubeconfig` }, data: { kubeconfig: readFileSync(c.srv.kubeconfigPath).toString('base64') } });
    const reg = await wsClient.create<KubeObject>(CLUSTER_REGISTRATIONS, undefined, {
      apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: { name: c.name },
      spec: { syncMode: 'Push', clusterEndpoint: { serverURL: c.srv.url, secretRef: { namespace: 'default', name: `${c.name}-kubeconfig` } } },
    } as KubeObject);
    c.lease = syncerShardLeaseName(clusterKey(clusterOf(reg, o.workspace), c.name));
  }
  await waitFor('clusters Ready', async () => (await ws().list(CLUSTER_REGISTRATIONS)).items.filter((r) =>
    (r.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).length === clusters.length, { timeoutMs: 60_000, everyMs: 250 });
  await wsClient.create(WORKLOAD_PLACEMENTS, 'default', {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'everywhere' },
    spec: { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], labelSelector: { matchLabels: { ha: 'yes' } } }, numberOfClusters: clusters.length, replicaScheduling: { type: 'Duplicated' } },
  } as KubeObject);
  // A placement decides once it selects a workload: the warm-up one gets it there, and its copies
  // on every cluster show every cluster's syncer runs.
  await wsClient.create(DEPLOYMENTS, 'default', deployment('warmup', { ha: 'yes' }, { replicas: 1 }));
  await waitFor('the warm-up Deployment on every cluster', async () =>
    (await Promise.all(clusters.map((c) => c.client.list(DEPLOYMENTS, { fieldSelector: 'metadata.name=warmup' })))).every((l) => l.items.length === 1), { timeoutMs: 90_000, everyMs: 250 });

  const owners = async (): Promise<Map<string, string | undefined>> => {
    const all = await leases();
    return new Map(clusters.map((c) => [c.name, liveHolder(all.get(c.lease))]));
  };
  return { etcd, replicas, clusters, start, up, ws, leases, liveHolder, owners };
}
