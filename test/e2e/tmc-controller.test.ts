/**
 * The kcp-native deployment end to end: `tmc-server --controllers=false` serves the API alone, and
 * a separate `tmc-controller` process — holding only a ServiceAccount token of root:tmc whose RBAC
 * allows the TMC export's content (plus its Lease) — finds the export's virtual workspace through
 * the APIExportEndpointSlice and runs cluster registration, placement and the push syncers through
 * it. Three consumer workspaces (one bound before the controller starts, with docs/quickstart.md's
 * own commands; two while it runs, one of those through a proxy-mode front end, the other having
 * created its Deployment before it bound the TMC export) each register two simulated clusters and
 * place a Deployment on both; it lands downstream, its summed status comes back upstream, and the
 * controller's Events land in the consumer workspaces.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { CLUSTER_KEY_LABEL, clusterKey, clusterOf } from '../../src/apis/contract.js';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import type { KubeObject } from '../../src/client/types.js';
import { DIST_ROOT, kubectlOK, spawnServer, startServer, tempDir } from '../helpers/tmc.js';

import { API_EXPORT_ENDPOINT_SLICES, API_EXPORTS, DEPLOYMENTS, LEASES, SECRETS } from '../../src/apis/gvr.js';
import { waitFor } from '../helpers/wait.js';

const CONTROLLER_BIN = join(DIST_ROOT, 'src', 'cmd', 'tmc-controller.js');
const WORKSPACES = ['root:demo', 'root:team-b', 'root:team-c'];
const REPO = resolve(DIST_ROOT, '..');

/** docs/quickstart.md section 2 (workspace `demo` and its bindings), as a reader runs it. */
function quickstartBindingCommands(): string {
  const doc = readFileSync(join(REPO, 'docs', 'quickstart.md'), 'utf8');
  const block = /## 2\. [^\n]*\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/quickstart.md: no sh block in section 2');
  return block;
}

function bash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    const sh = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { env: { ...process.env, ...env } });
    let out = '';
    sh.stdout.on('data', (d) => { out += d; });
    sh.stderr.on('data', (d) => { out += d; });
    sh.once('exit', (code) => (code === 0 ? done(out) : fail(new Error(`bash exited ${code}: ${out}`))));
  });
}

/** Both bindings, every claim of the TMC export accepted as the export states it (identity hashes included), as `tmcctl bind` does. */
function bindings(claims: Array<Record<string, unknown>>): string {
  const binding = (name: string, path: string, exportName: string, spec: Record<string, unknown> = {}) => stringify({
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name }, spec: { reference: { export: { path, name: exportName } }, ...spec },
  });
  return `${binding('kubernetes', 'root:compute', 'kubernetes')}---\n${binding('tmc', 'root:tmc', 'tmc.kcp.io', {
    permissionClaims: claims.map((c) => ({ ...c, state: 'Accepted' })),
  })}`;
}

/** The controller's identity: a ServiceAccount of root:tmc that may use the export's VW and its Lease, nothing else. */
const CONTROLLER_RBAC = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: tmc-controller, namespace: default}
---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata: {name: tmc-controller-token, namespace: default, annotations: {kubernetes.io/service-account.name: tmc-controller}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: tmc-controller}
rules:
- {apiGroups: [apis.kcp.io], resources: [apiexports/content], resourceNames: [tmc.kcp.io], verbs: ["*"]}
- {apiGroups: [apis.kcp.io], resources: [apiexportendpointslices], resourceNames: [tmc.kcp.io], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: tmc-controller}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: tmc-controller}
subjects: [{kind: ServiceAccount, name: tmc-controller, namespace: default}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: tmc-controller-lease, namespace: default}
rules:
- {apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: tmc-controller-lease, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: tmc-controller-lease}
subjects: [{kind: ServiceAccount, name: tmc-controller, namespace: default}]
`;

/** A Push ClusterRegistration and the Secret holding the cluster's kubeconfig. */
function registration(name: string, cluster: { url: string; kubeconfigPath: string }): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}-kubeconfig, namespace: default}
data: {kubeconfig: ${readFileSync(cluster.kubeconfigPath).toString('base64')}}
---
apiVersion: tmc.kcp.io/v1alpha1
kind: ClusterRegistration
metadata: {name: ${name}}
spec:
  location: ${name}
  clusterEndpoint: {serverURL: "${cluster.url}", secretRef: {namespace: default, name: ${name}-kubeconfig}}
`;
}

function placedDeployment(name: string): string {
  return `---
apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: ${name}, namespace: default}
spec:
  workloadSelector: {workloadTypes: [{group: apps, kind: Deployment}], labelSelector: {matchLabels: {app: ${name}}}}
  numberOfClusters: 2
  replicaScheduling: {type: Divided}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 10m, memory: 16Mi}}}]}
`;
}

interface Deployment extends KubeObject { spec: { replicas: number }; status?: { readyReplicas?: number; replicas?: number } }

t.test('tmc-server --controllers=false plus tmc-controller through the APIExport virtual workspace', async (t) => {
  const server = await spawnServer(t, ['--controllers=false']);
  const [east, west] = await Promise.all(['east', 'west'].map(() => startServer(t, { mode: 'cluster', nodes: 1, readyDelayMs: 100 })));
  const kc = server.kubeconfigPath;
  const admin = new KubeClient(httpTransportFromKubeConfig({ file: kc, basePath: '' }));
  t.teardown(() => admin.transport.close?.());
  const at = (ws: string) => `${server.url}/clusters/${ws}`;

  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:tmc'), input: CONTROLLER_RBAC });
  const tmcExport = await admin.forCluster('root:tmc').get(API_EXPORTS, undefined, 'tmc.kcp.io') as KubeObject & { spec: { permissionClaims: Array<Record<string, unknown>> } };
  const BINDINGS = bindings(tmcExport.spec.permissionClaims);
  // team-c is set up through a proxy-mode front end (`--kcp-kubeconfig` = this server, also
  // --controllers=false): the controller, on the upstream's view, must serve it all the same.
  const front = await startServer(t, { kcpKubeconfig: kc, controllers: false });
  const via = (ws: string) => (ws === 'root:team-c'
    ? { kubeconfig: front.kubeconfigPath, server: `${front.url}/clusters/${ws}` } : { kubeconfig: kc, server: at(ws) });
  /**
   * A consumer: its workspace, both bindings, a Secret and ClusterRegistration per cluster, a
   * placed Deployment. `deploymentFirst`: the Deployment exists before the TMC binding (the
   * controller's watches must be told when the workspace enters its view).
   */
  const consumer = async (ws: string, o: { deploymentFirst?: boolean } = {}) => {
    const { kubeconfig, server } = via(ws);
    await kubectlOK(kubeconfig, ['apply', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws.split(':')[1]}}\n` });
    await kubectlOK(kubeconfig, ['wait', '--for=jsonpath={.status.phase}=Ready', `workspace/${ws.split(':')[1]}`, '--timeout=30s']);
    const [compute, tmc] = BINDINGS.split('---\n');
    const placed = placedDeployment('web').split('---\n').filter(Boolean);
    const deployment = placed.find((d) => d.startsWith('apiVersion: apps/v1'))!;
    if (o.deploymentFirst) {
      await kubectlOK(kubeconfig, ['apply', '-f', '-'], { server, input: compute });
      await kubectlOK(kubeconfig, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', '--timeout=30s'], { server });
      await kubectlOK(kubeconfig, ['apply', '-f', '-'], { server, input: deployment });
    }
    await kubectlOK(kubeconfig, ['apply', '-f', '-'], { server, input: o.deploymentFirst ? tmc : BINDINGS });
    await kubectlOK(kubeconfig, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', 'apibinding/tmc', '--timeout=30s'], { server });
    const rest = o.deploymentFirst ? placed.filter((d) => d !== deployment).join('---\n') : placedDeployment('web');
    // kubectl's discovery cache may predate the TMC binding: it re-discovers on a miss, so try again
    await waitFor(`${ws}: registrations and placement applied`, () => kubectlOK(kubeconfig, ['apply', '-f', '-'], { server, input: registration('east', east) + registration('west', west) + `---\n${rest}` }));
  };
  // demo exists before the controller starts, bound with the quickstart's commands as written
  await bash(quickstartBindingCommands(), { KUBECONFIG: kc, KUBECACHEDIR: join(tempDir(t, 'kubecache-'), 'c') });
  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:demo'), input: registration('east', east) + registration('west', west) + placedDeployment('web') });

  await t.test('--controllers=false: the server serves the API and runs no controller', async (t) => {
    await new Promise((r) => setTimeout(r, 1500));
    const regs = await admin.forCluster('root:demo').list(CLUSTER_REGISTRATIONS);
    t.same(regs.items.map((r) => (r as { status?: { conditions?: unknown[] } }).status?.conditions ?? []), [[], []], 'no registration has been probed');
    const web = await admin.forCluster('root:demo').get(DEPLOYMENTS, 'default', 'web');
    t.notOk(Object.keys(web.metadata?.labels ?? {}).some((k) => k.startsWith('state.tmc.kcp.io/')), 'nothing placed');
  });

  // The controller's kubeconfig: root:tmc with the ServiceAccount's token, nothing else.
  const secret = await waitFor('the controller token', async () => {
    const s = await admin.forCluster('root:tmc').get(SECRETS, 'default', 'tmc-controller-token') as KubeObject & { data?: Record<string, string> };
    return s.data?.token ? s.data : undefined;
  });
  const token = Buffer.from(secret.token, 'base64').toString();
  const dir = tempDir(t, 'tmc-controller-');
  const adminConfig = parse(readFileSync(kc, 'utf8'));
  const controllerConfig = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'tmc',
    clusters: [{ name: 'tmc', cluster: { ...adminConfig.clusters[0].cluster, server: at('root:tmc') } }],
    users: [{ name: 'tmc-controller', user: { token } }],
    contexts: [{ name: 'tmc', context: { cluster: 'tmc', user: 'tmc-controller' } }],
  };
  const controllerKubeconfig = join(dir, 'controller.kubeconfig');
  writeFileSync(controllerKubeconfig, stringify(controllerConfig));
  const asController = new KubeClient(httpTransportFromKubeConfig({ file: controllerKubeconfig, basePath: '' }));
  t.teardown(() => asController.transport.close?.());

  await t.test('the controller\'s credentials reach the TMC export\'s view only', async (t) => {
    const direct = await asController.forCluster('root:demo').list(DEPLOYMENTS, { namespace: 'default' }).then(() => 200, (e: { code?: number }) => e.code);
    t.equal(direct, 403, 'no direct access to a consumer workspace');
    const compute = await asController.withPrefix('/services/apiexport/root:compute/kubernetes').forCluster('*').list(DEPLOYMENTS).then(() => 200, (e: { code?: number }) => e.code);
    t.equal(compute, 403, 'no access to another export\'s view');
  });

  const child = spawn(process.execPath, [CONTROLLER_BIN, '--kubeconfig', controllerKubeconfig,
    '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0',
    '--leader-elect', '--identity', 'ctl-1', '--heartbeat-interval', '2', '--log-level', process.env.TMC_CONTROLLER_LOG_LEVEL ?? 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const ready = await waitFor('tmc-controller ready', async () => /tmc-controller ready \(([^)]*)\)/.exec(out)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(out)) : undefined), { timeoutMs: 30_000, everyMs: 100 });
  const viewURL = /virtual workspace (\S+?),/.exec(ready)?.[1];
  const metricsURL = /metrics (\S+?)\/metrics/.exec(ready)?.[1];
  const healthURL = /health (\S+?)\/readyz/.exec(ready)?.[1];
  await Promise.all([consumer('root:team-b', { deploymentFirst: true }), consumer('root:team-c')]);
  const slice = await admin.forCluster('root:tmc').get(API_EXPORT_ENDPOINT_SLICES, undefined, 'tmc.kcp.io') as KubeObject & { status?: { endpoints?: Array<{ url: string }> } };
  t.equal(viewURL, slice.status?.endpoints?.[0]?.url, 'the VW URL came from the endpoint slice');
  t.match(viewURL, new RegExp(`^${server.url}/services/apiexport/[^/]+/tmc\\.kcp\\.io$`));

  await t.test('three workspaces: registrations Ready, each Deployment on both clusters, status summed back', async (t) => {
    for (const ws of WORKSPACES) {
      await waitFor(`registrations of ${ws} Ready`, async () => {
        const regs = await admin.forCluster(ws).list(CLUSTER_REGISTRATIONS);
        return regs.items.length === 2 && regs.items.every((r) => (r as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      }, { timeoutMs: 30_000, everyMs: 200 });
    }
    for (const cluster of [east, west]) {
      const down = new KubeClient(httpTransportFromKubeConfig({ file: cluster.kubeconfigPath, basePath: '' }));
      t.teardown(() => down.transport.close?.());
      const placed = await waitFor('three Deployments downstream', async () => {
        const l = await down.list(DEPLOYMENTS, { labelSelector: CLUSTER_KEY_LABEL });
        return l.items.length === 3 ? l.items : undefined;
      }, { timeoutMs: 30_000, everyMs: 200 });
      const keys = new Set(placed.map((d) => d.metadata?.labels?.[CLUSTER_KEY_LABEL]));
      t.equal(keys.size, 3, `one Deployment per workspace on ${cluster === east ? 'east' : 'west'} (each workspace's own registration)`);
    }
    for (const ws of WORKSPACES) {
      const web = await waitFor(`${ws} web ready upstream`, async () => {
        const d = await admin.forCluster(ws).get<Deployment>(DEPLOYMENTS, 'default', 'web');
        return d.status?.readyReplicas === 2 ? d : undefined;
      }, { timeoutMs: 30_000, everyMs: 200 });
      const cluster = clusterOf(web);
      const labels = web.metadata?.labels ?? {};
      t.equal(labels[`state.tmc.kcp.io/${clusterKey(cluster, 'east')}`], 'Sync', `${ws}: placed on its east`);
      t.equal(labels[`state.tmc.kcp.io/${clusterKey(cluster, 'west')}`], 'Sync', `${ws}: placed on its west`);
      const placement = await admin.forCluster(ws).get(WORKLOAD_PLACEMENTS, 'default', 'web') as KubeObject & { status?: { phase?: string; decisions?: unknown[] } };
      t.equal(placement.status?.phase, 'Scheduled', `${ws}: placement status written through the VW`);
      t.equal(placement.status?.decisions?.length, 2);
    }
  });

  await t.test("the controller's Events, written through the VW, are in each consumer workspace", async (t) => {
    type CoreEvent = { involvedObject: { kind: string; name: string }; reportingComponent?: string };
    const want = ['tmc.kcp.io/clusterregistration-controller ClusterRegistration/east', 'tmc.kcp.io/workloadplacement-controller Deployment/web',
      'tmc.kcp.io/workloadplacement-controller WorkloadPlacement/web'];
    for (const ws of WORKSPACES) {
      const seen = await waitFor(`${ws}: Events of both controllers`, async () => {
        const l = JSON.parse(await kubectlOK(kc, ['get', 'events', '-n', 'default', '-o', 'json'], { server: at(ws) })) as { items: CoreEvent[] };
        const got = new Set(l.items.map((e) => `${e.reportingComponent} ${e.involvedObject.kind}/${e.involvedObject.name}`));
        return want.every((w) => got.has(w)) ? got : undefined;
      }, { timeoutMs: 30_000, everyMs: 200 });
      t.ok(seen, `${ws}: registration and placement Events (on the placement and its Deployment)`);
    }
    t.match(await kubectlOK(kc, ['get', 'events', '-n', 'default'], { server: at('root:demo') }), /Placement\w+\s+deployment\/web/, 'kubectl get events shows them');
  });

  await t.test('leader election, health and metrics', async (t) => {
    const lease = await admin.forCluster('root:tmc').get(LEASES, 'default', 'tmc-controller') as KubeObject & { spec?: { holderIdentity?: string } };
    t.equal(lease.spec?.holderIdentity, 'ctl-1', 'the Lease in the export\'s workspace names this process');
    const readyz = await fetch(`${healthURL}/readyz`);
    t.equal(readyz.status, 200);
    t.equal(await readyz.text(), 'ok');
    const metrics = await fetch(`${metricsURL}/metrics`);
    t.match(await metrics.text(), /workqueue_adds_total\{[^}]*name="workloadplacement"/, 'controller workqueue metrics');
  });

  if (!t.passing()) t.comment(`tmc-controller output:\n${out.slice(-6000)}`);
  if (process.env.TMC_CONTROLLER_LOG_FILE) writeFileSync(process.env.TMC_CONTROLLER_LOG_FILE, out);
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'tmc-controller stops cleanly on SIGTERM');
});
