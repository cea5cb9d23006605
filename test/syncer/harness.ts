/**
 * A TMC topology for sync tests and the bench: one server-mode tmc-server with a workspace bound
 * to the compute export, and N cluster-mode servers registered as ClusterRegistrations (Secret
 * with the cluster's admin kubeconfig, Ready set through /status since the health controller may
 * not run). Not a test file itself (no .test suffix).
 */
import { readFileSync } from 'node:fs';
import { clusterKey } from '../../src/apis/contract.js';
import { CLUSTER_REGISTRATIONS } from '../../src/apis/tmc/gvr.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import type { KubeObject } from '../../src/client/types.js';
import { startServer, type RunningServer, type Teardown } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';
import { API_BINDINGS as APIBINDINGS, CONFIGMAPS, DEPLOYMENTS, NAMESPACES, SECRETS, WORKSPACES } from '../../src/apis/gvr.js';
export { DEPLOYMENTS, CONFIGMAPS, SECRETS, NAMESPACES };

export interface PhysicalCluster {
  name: string;
  key: string;
  running: RunningServer;
  client: KubeClient;
}

export interface Topology {
  server: RunningServer;
  rootClient: KubeClient;
  workspace: string;
  /** Client for the workload workspace. */
  ws: KubeClient;
  clusters: PhysicalCluster[];
}

export async function createWorkspace(rootClient: KubeClient, path: string): Promise<KubeClient> {
  const parent = path.slice(0, path.lastIndexOf(':'));
  await rootClient.forCluster(parent).create(WORKSPACES, undefined, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: path.slice(path.lastIndexOf(':') + 1) } });
  const client = rootClient.forCluster(path);
  await waitFor(`workspace ${path}`, () => client.list(NAMESPACES).then(() => true));
  return client;
}

export async function bind(ws: KubeClient, name: string, path: string, exportName: string): Promise<void> {
  await ws.create(APIBINDINGS, undefined, { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name }, spec: { reference: { export: { path, name: exportName } } } });
}

export async function registerCluster(ws: KubeClient, workspace: string, name: string, cluster: RunningServer, syncMode: 'Push' | 'Pull' = 'Push'): Promise<string> {
  await ws.create(SECRETS, 'default', {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-kubeconfig` },
    data: { kubeconfig: Buffer.from(readFileSync(cluster.kubeconfigPath)).toString('base64') },
  });
  await ws.create(CLUSTER_REGISTRATIONS, undefined, {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: { name },
    spec: { syncMode, clusterEndpoint: { serverURL: cluster.url, secretRef: { namespace: 'default', name: `${name}-kubeconfig` } } },
  });
  await setReady(ws, name, 'True');
  return clusterKey(workspace, name);
}

export async function setReady(ws: KubeClient, name: string, status: 'True' | 'False'): Promise<void> {
  await ws.patch(CLUSTER_REGISTRATIONS, undefined, name, {
    status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'Healthy' : 'Unreachable', message: 'set by the test', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
  }, { type: 'merge', subresource: 'status' });
}

export async function startTopology(t: Teardown, clusters: number, workspace = 'root:team', syncMode: 'Push' | 'Pull' = 'Push', clusterOptions: { nodes?: number } = {}): Promise<Topology> {
  // the tests run their own SyncerManager and set Ready themselves: no default controllers beside them
  const server = await startServer(t, {}, { components: [] });
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: server.kubeconfigPath, basePath: '' }));
  const ws = await createWorkspace(rootClient, workspace);
  await bind(ws, 'kubernetes', 'root:compute', 'kubernetes');
  await bind(ws, 'tmc', 'root:tmc', 'tmc.kcp.io');
  await waitFor('compute binding', () => ws.list(DEPLOYMENTS, { namespace: 'default' }).then(() => true));
  await waitFor('tmc binding', () => ws.list(CLUSTER_REGISTRATIONS).then(() => true));
  const physical: PhysicalCluster[] = [];
  for (let i = 0; i < clusters; i++) {
    const running = await startServer(t, { mode: 'cluster', ...clusterOptions });
    const name = `cluster-${i + 1}`;
    const key = await registerCluster(ws, workspace, name, running, syncMode);
    physical.push({ name, key, running, client: new KubeClient(httpTransportFromKubeConfig({ file: running.kubeconfigPath, basePath: '' })) });
  }
  return { server, rootClient, workspace, ws, clusters: physical };
}

export function deployment(name: string, labels: Record<string, string>, extra: { replicas?: number; configMap?: string; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, labels: { app: name, ...labels }, annotations: extra.annotations },
    spec: {
      replicas: extra.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.27',
            ...(extra.configMap ? { envFrom: [{ configMapRef: { name: extra.configMap } }] } : {}),
          }],
        },
      },
    },
  } as KubeObject;
}

/** Every object of `gvr` TMC placed on a cluster (labelled with its key), in any namespace. */
export async function downstreamObjects(cluster: PhysicalCluster, gvr: typeof DEPLOYMENTS): Promise<KubeObject[]> {
  return (await cluster.client.list(gvr, { labelSelector: `tmc.kcp.io/cluster-key=${cluster.key}` })).items;
}
