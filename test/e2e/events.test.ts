/**
 * Kubernetes Events end to end: an in-process tmc-server with every controller (heartbeat 1 s,
 * threshold 3 s) and two `--mode cluster` clusters. A Deployment is placed on one cluster; that
 * cluster is frozen (SIGSTOP) so it goes NotReady, is tainted, and the Deployment fails over; it
 * is thawed so the old copy is removed. A second placement finds no cluster; a third Deployment
 * collides with a foreign object on the cluster. `kubectl describe` and `kubectl get events` (the
 * real kubectl, reading core/v1) must tell each of those stories, although the controllers write
 * events.k8s.io/v1.
 */
import t from 'tap';
import { downstreamNamespaceName } from '../../src/apis/contract.js';
import { request } from '../helpers/http.js';
import { kubectl, kubectlOK } from '../helpers/tmc.js';
import { deployment, deploymentPlacement, startKubectlTopology } from '../helpers/topology.js';
import { waitFor } from '../helpers/wait.js';

const WS = 'root:events';
const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

t.test('controllers tell the story in Events', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const { server, clusters, k } = await startKubectlTopology(t, 'events', ['east', 'west']);

  await k(['apply', '-f', '-'], PLACEMENTS);
  const creds = { caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem };
  const get = async (path: string) => (await request(server.url, creds, 'GET', `/clusters/${WS}${path}`)).json;
  const placement = async () => get('/apis/tmc.kcp.io/v1alpha1/namespaces/default/workloadplacements/web');
  await waitFor('web placed', async () => ((await placement()).status?.decisions ?? []).length === 1, { timeoutMs: 30_000 });
  const first = (await placement()).status.decisions[0].clusterName as 'east' | 'west';
  const other = first === 'east' ? 'west' : 'east';

  // a foreign Deployment where the syncer of `first` will want to put `clash`
  const reg = await get(`/apis/tmc.kcp.io/v1alpha1/clusterregistrations/${first}`);
  const ns = downstreamNamespaceName({ workspace: WS, namespace: 'default', cluster: reg.status.clusterKey });
  const downstream = (args: string[], input?: string) => kubectlOK(clusters[first].kubeconfigPath, args, { input });
  await downstream(['create', 'namespace', ns]).catch(() => undefined);
  await downstream(['-n', ns, 'create', 'deployment', 'clash', '--image=nginx']);
  await k(['apply', '-f', '-'], pinned('clash', first));

  const describe = (what: string) => k(['describe', what]);
  await waitFor('PlacementDecided on the placement', async () => /PlacementDecided/.test(await describe('workloadplacement/web')), { timeoutMs: 30_000 });
  t.match(await describe('deployment/web'), /Normal\s+PlacementDecided\s+\S+\s+tmc\.kcp\.io\/workloadplacement-controller\s+revision 1: placed on/,
    'describe deployment shows the decision, from the placement controller');
  await waitFor('FailedPlacement', async () => /FailedPlacement/.test(await describe('workloadplacement/nowhere')), { timeoutMs: 30_000 });
  t.match(await describe('deployment/lost'), /Warning\s+FailedPlacement/, 'the unplaceable Deployment says why');
  await waitFor('SyncConflict', async () => /SyncConflict/.test(await describe('deployment/clash')), { timeoutMs: 30_000 });
  t.match(await describe('deployment/clash'), /already exists on the cluster and is not managed by TMC/);
  t.match(await describe(`clusterregistration/${first}`), /Normal\s+ClusterReady/, 'cluster Ready transition');

  // freeze the chosen cluster: NotReady, tainted, failover to the other one
  const frozen = clusters[first].child;
  frozen.kill('SIGSTOP');
  let stopped = true;
  t.teardown(() => { if (stopped) frozen.kill('SIGCONT'); });
  await waitFor('FailoverStarted', async () => /FailoverStarted/.test(await describe('workloadplacement/web')), { timeoutMs: 60_000 });
  const cr = await describe(`clusterregistration/${first}`);
  t.match(cr, /Warning\s+ClusterNotReady\s+.*HeartbeatMissed/, 'NotReady with its reason');
  t.match(cr, /Warning\s+TaintAdded\s+.*tmc\.kcp\.io\/unreachable:NoSchedule/, 'the taint');
  t.match(await describe('deployment/web'), new RegExp(`Warning\\s+FailoverStarted\\s+.*moving from ${first}\\(1\\) to ${other}\\(1\\)`));

  // thaw: the old copy is deleted, the failover finishes
  frozen.kill('SIGCONT');
  stopped = false;
  await waitFor('FailoverFinished', async () => /FailoverFinished/.test(await describe('deployment/web')), { timeoutMs: 60_000 });
  t.match(await describe('workloadplacement/web'), new RegExp(`Normal\\s+FailoverFinished\\s+.*the copy on ${first} is gone`));

  // the same Events through both APIs, and in `kubectl get events`
  const all = await k(['get', 'events']);
  for (const reason of ['PlacementDecided', 'FailedPlacement', 'FailoverStarted', 'FailoverFinished', 'ClusterNotReady', 'TaintAdded', 'SyncConflict']) {
    t.match(all, reason, `kubectl get events lists ${reason}`);
  }
  const v1 = await get('/apis/events.k8s.io/v1/namespaces/default/events');
  const core = await get('/api/v1/namespaces/default/events');
  t.equal(v1.items.length, core.items.length, 'one storage behind both APIs');
  const conflict = v1.items.find((e: any) => e.reason === 'SyncConflict');
  t.match(conflict, { regarding: { kind: 'Deployment', name: 'clash' }, reportingController: 'tmc.kcp.io/syncer', type: 'Warning' });
  // the syncer retried with backoff: one Event with a series, not one per retry
  t.equal(v1.items.filter((e: any) => e.reason === 'SyncConflict').length, 1, 'retries aggregate into one Event');
  await waitFor('series count grows', async () => ((await get(`/apis/events.k8s.io/v1/namespaces/default/events/${conflict.metadata.name}`)).series?.count ?? 1) > 1, { timeoutMs: 30_000 });
});

const PLACEMENTS = `
${deploymentPlacement('web', ['web'], ['numberOfClusters: 1', 'failover: {tolerationSeconds: 0, purgeMode: Immediately}'])}\
${deploymentPlacement('nowhere', ['lost'], ['clusterSelector: {clusterNames: [mars]}'])}\
${deployment('web')}
${deployment('lost')}`;

function pinned(name: string, cluster: string): string {
  return `${deployment(name)}
---
apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: ${name}, namespace: default}
spec:
  workloadSelector: {workloadTypes: [{group: apps, kind: Deployment}], names: [${name}]}
  clusterSelector: {clusterNames: [${cluster}]}`;
}
