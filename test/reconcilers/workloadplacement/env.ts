/**
 * A running tmc-server with one consumer workspace (root:team, namespace app) bound to the
 * tmc.kcp.io and kubernetes exports, admin clients for it, and builders for the objects the
 * controller tests create. Shared by the controller test and the end-to-end benchmark.
 */
import { clusterKey } from '../../../src/apis/contract.js';
import { CLUSTER_REGISTRATIONS, PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS } from '../../../src/apis/tmc/index.js';
import type { ClusterRegistration, PlacementDecision, WorkloadPlacement } from '../../../src/apis/tmc/index.js';
import { KubeClient } from '../../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../../src/client/kubeconfig-transport.js';
import type { KubeObject } from '../../../src/client/types.js';

import { startServer, type RunningServer, type Teardown } from '../../helpers/tmc.js';
import { API_BINDINGS as BINDINGS, DEPLOYMENTS, NAMESPACES, WORKSPACES } from '../../../src/apis/gvr.js';
import { waitFor } from '../../helpers/wait.js';
export { DEPLOYMENTS };

export const WS = 'root:team';
export const NS = 'app';

export interface Env {
  server: RunningServer;
  /** At the server root: what the controller gets. */
  rootClient: KubeClient;
  /** Scoped to root:team. */
  team: KubeClient;
}

export async function startEnv(t: Teardown): Promise<Env> {
  // the test runs its own placement controller: no default in-process controllers beside it
  const server = await startServer(t, {}, { components: [] });
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: server.kubeconfigPath, basePath: '' }));
  await rootClient.forCluster('root').create(WORKSPACES, undefined, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'team' } });
  const team = rootClient.forCluster(WS);
  await waitFor('workspace root:team serves', async () => team.list(NAMESPACES).then(() => true, () => false), { timeoutMs: 10_000 });
  for (const [name, path, exportName] of [['tmc', 'root:tmc', 'tmc.kcp.io'], ['kubernetes', 'root:compute', 'kubernetes']]) {
    await team.create(BINDINGS, undefined, { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name }, spec: { reference: { export: { path, name: exportName } } } });
  }
  await waitFor('bindings Bound', async () => (await team.list(BINDINGS)).items.every((b) => (b.status as { phase?: string } | undefined)?.phase === 'Bound'), { timeoutMs: 10_000 });
  await waitFor('deployments served', async () => team.list(DEPLOYMENTS, { namespace: 'default' }).then(() => true, () => false), { timeoutMs: 10_000 });
  await team.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return { server, rootClient, team };
}

export function readyConditions(ready: boolean, at = new Date()): ClusterRegistration['status'] {
  return {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Heartbeat' : 'HeartbeatMissed', message: ready ? 'ok' : 'no heartbeat', lastTransitionTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z') }],
  };
}

/** Creates a ClusterRegistration and writes its status through /status, as the registration controller would. */
export async function createCluster(team: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
  await team.create(CLUSTER_REGISTRATIONS, undefined, { apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: { name, labels }, spec: { location: 'eu', syncMode: 'Pull' } } as unknown as KubeObject);
  await team.patch(CLUSTER_REGISTRATIONS, undefined, name, {
    status: {
      ...readyConditions(true, new Date(Date.now() - 3600_000)),
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
      syncedResources: [{ group: 'apps', resource: 'deployments', state: 'Accepted' }],
      clusterKey: clusterKey(WS, name),
    },
  }, { type: 'merge', subresource: 'status' });
}

export async function patchCluster(team: KubeClient, name: string, patch: Record<string, unknown>, status = false): Promise<void> {
  await team.patch(CLUSTER_REGISTRATIONS, undefined, name, patch, { type: 'merge', subresource: status ? 'status' : undefined });
}

export async function createDeployment(team: KubeClient, name: string, replicas = 3): Promise<void> {
  await team.create(DEPLOYMENTS, NS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  });
}

export async function createPlacement(team: KubeClient, name: string, spec: WorkloadPlacement['spec']): Promise<void> {
  await team.create(WORKLOAD_PLACEMENTS, NS, { apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name }, spec } as unknown as KubeObject);
}

export async function getPlacement(team: KubeClient, name: string): Promise<WorkloadPlacement> {
  return await team.get(WORKLOAD_PLACEMENTS, NS, name) as unknown as WorkloadPlacement;
}

export async function decisions(team: KubeClient): Promise<PlacementDecision[]> {
  const list = await team.list(PLACEMENT_DECISIONS, { namespace: NS });
  return (list.items as unknown as PlacementDecision[]).sort((a, b) => a.spec.revision - b.spec.revision);
}

/** Cluster names whose state label says Sync on a Deployment. */
export async function placedOn(team: KubeClient, deployment: string, clusters: string[]): Promise<string[]> {
  const d = await team.get(DEPLOYMENTS, NS, deployment);
  const labels = d.metadata.labels ?? {};
  return clusters.filter((c) => labels[`state.tmc.kcp.io/${clusterKey(WS, c)}`] === 'Sync');
}
