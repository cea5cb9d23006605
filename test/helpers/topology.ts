/**
 * The TMC topology the kubectl-driven e2e tests share: manifests (the two APIBindings, a
 * ClusterRegistration for a `--mode cluster` server, a Deployment) and the set-up that applies them
 * as docs/quickstart.md does: a workspace bound to the compute and TMC exports, with physical
 * clusters registered and Ready.
 */
import type { ServerOptions } from '../../src/cmd/server-options.js';
import { kubectl, kubectlOK, spawnServer, startServer, type RunningServer, type SpawnedServer, type Teardown } from './tmc.js';
import { waitFor } from './wait.js';

/** The compute and TMC bindings, with the claims the controllers need (as docs/quickstart.md). */
export const BINDINGS = `
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: kubernetes}
spec: {reference: {export: {path: "root:compute", name: kubernetes}}}
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: tmc}
spec:
  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}
  permissionClaims:
  - {group: "", resource: namespaces, all: true, state: Accepted}
  - {group: "", resource: configmaps, all: true, state: Accepted}
  - {group: "", resource: secrets, all: true, state: Accepted}
  - {group: "", resource: services, all: true, state: Accepted}
  - {group: apps, resource: deployments, all: true, state: Accepted}
  - {group: apps, resource: statefulsets, all: true, state: Accepted}
  - {group: apps, resource: daemonsets, all: true, state: Accepted}
`;

/** A Push ClusterRegistration whose kubeconfig is the Secret `<name>-creds` in `default`. */
export function registration(name: string, serverURL: string): string {
  return `
apiVersion: tmc.kcp.io/v1alpha1
kind: ClusterRegistration
metadata: {name: ${name}}
spec:
  location: test
  clusterEndpoint: {serverURL: ${serverURL}, secretRef: {namespace: default, name: ${name}-creds}}
`;
}

/** A WorkloadPlacement `<name>` in `default` selecting the Deployments named `names`; `spec` lines go under spec. */
export function deploymentPlacement(name: string, names: string[], spec: string[]): string {
  return `---
apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: ${name}, namespace: default}
spec:
  workloadSelector: {workloadTypes: [{group: apps, kind: Deployment}], names: [${names.join(', ')}]}
${spec.map((l) => `  ${l}\n`).join('')}`;
}

/** A Deployment (one replica unless told) labelled app=<name>. */
export function deployment(name: string, replicas = 1): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 10m, memory: 16Mi}}}]}`;
}

/** Runs kubectl against one workspace; resolves with stdout, throws on a non-zero exit. */
export type WorkspaceKubectl = (args: string[], input?: string) => Promise<string>;

/** The Secret `<name>-creds` holding the cluster's kubeconfig, and the ClusterRegistration `<name>` naming it. */
export async function registerCluster(k: WorkspaceKubectl, name: string, cluster: { url: string; kubeconfigPath: string }): Promise<void> {
  await k(['-n', 'default', 'create', 'secret', 'generic', `${name}-creds`, `--from-file=kubeconfig=${cluster.kubeconfigPath}`]);
  await k(['apply', '-f', '-'], registration(name, cluster.url));
}

export interface KubectlTopology {
  server: RunningServer;
  /** The cluster-mode servers by registration name. */
  clusters: Record<string, SpawnedServer>;
  /** The workspace's URL (`<server>/clusters/<workspace>`). */
  wsServer: string;
  k: WorkspaceKubectl;
}

/**
 * A TMC server (fast heartbeats unless `serverOptions` say otherwise), one single-node cluster-mode
 * server per name, and the workspace `workspace` (a child of root) bound to compute and TMC with
 * every cluster registered and Ready, all through kubectl.
 */
export async function startKubectlTopology(t: Teardown, workspace: string, names: string[], serverOptions: Partial<ServerOptions> = {}): Promise<KubectlTopology> {
  const server = await startServer(t, { heartbeatSeconds: 1, heartbeatThresholdSeconds: 3, ...serverOptions });
  const clusters: Record<string, SpawnedServer> = {};
  for (const name of names) clusters[name] = await spawnServer(t, ['--mode', 'cluster', '--nodes', '1']);
  const wsServer = `${server.url}/clusters/root:${workspace}`;
  const k: WorkspaceKubectl = (args, input) => kubectlOK(server.kubeconfigPath, args, { input, server: wsServer });
  await kubectlOK(server.kubeconfigPath, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${workspace}}\n` });
  await waitFor('workspace ready', async () => (await kubectl(server.kubeconfigPath, ['get', 'namespaces'], { server: wsServer })).code === 0, { timeoutMs: 15_000 });
  await k(['apply', '-f', '-'], BINDINGS);
  await waitFor('APIs bound', async () => (await kubectl(server.kubeconfigPath, ['get', 'clusterregistrations,deployments'], { server: wsServer })).code === 0, { timeoutMs: 15_000 });
  for (const [name, c] of Object.entries(clusters)) await registerCluster(k, name, c);
  await k(['wait', '--for=condition=Ready', ...names.map((n) => `clusterregistration/${n}`), '--timeout=60s']);
  return { server, clusters, wsServer, k };
}
