/**
 * READY during a graceful failover: a workspace's Deployment never reports more ready replicas
 * than it asked for while the old copy (kept by purgeMode Graceful, then being removed from a
 * frozen cluster) still reports its own; the old copy is named in the `OldCopies` condition
 * instead. A Duplicated Deployment on both clusters still reports every cluster's replicas.
 * An in-process tmc-server with every controller (heartbeat 1 s, threshold 3 s) and two
 * `--mode cluster` clusters; every READY value is read from a watch, so a passing 6/3 is seen.
 */
import t from 'tap';
import { openWatch, request } from '../helpers/http.js';
import { kubectl } from '../helpers/tmc.js';
import { deployment, deploymentPlacement, startKubectlTopology } from '../helpers/topology.js';
import { waitFor } from '../helpers/wait.js';

const WS = 'root:failover-ready';
const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

const PLACEMENTS = `
${deploymentPlacement('web', ['web'], ['numberOfClusters: 1', 'failover: {tolerationSeconds: 0, purgeMode: Graceful}'])}\
${deploymentPlacement('dup', ['dup'], ['numberOfClusters: 2', 'replicaScheduling: {type: Duplicated}'])}\
${deployment('web', 3)}
${deployment('dup', 2)}`;

t.test('READY never exceeds the desired replicas during a graceful failover; Duplicated counts every cluster', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const { server, clusters, k } = await startKubectlTopology(t, 'failover-ready', ['east', 'west']);

  const creds = { caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem };
  const DEPLOYMENTS = `/clusters/${WS}/apis/apps/v1/namespaces/default/deployments`;
  const get = async (path: string) => (await request(server.url, creds, 'GET', `/clusters/${WS}${path}`)).json;
  const web = async () => (await request(server.url, creds, 'GET', `${DEPLOYMENTS}/web`)).json;
  const oldCopies = (d: any) => d?.status?.conditions?.find((c: any) => c.type === 'OldCopies');
  // every state .status has ever been in, from before the first aggregate
  const watch = openWatch(server.url, creds, `${DEPLOYMENTS}?watch=true&fieldSelector=metadata.name%3Dweb`);
  t.teardown(() => watch.stop());
  const readySeen = () => watch.events.map((e) => e.object?.status?.readyReplicas ?? 0);
  await k(['apply', '-f', '-'], PLACEMENTS);

  // Duplicated: each cluster runs both replicas, READY counts all four
  await waitFor('dup READY 4', async () => (await k(['get', 'deployment', 'dup', '-o', 'jsonpath={.status.readyReplicas}'])) === '4', { timeoutMs: 60_000 });
  t.match(await k(['get', 'deployment', 'dup']), /dup\s+4\/2\s/, 'kubectl shows 4/2 for two clusters running 2 each');

  await waitFor('web READY 3', async () => (await web())?.status?.readyReplicas === 3, { timeoutMs: 60_000 });
  const placement = await get('/apis/tmc.kcp.io/v1alpha1/namespaces/default/workloadplacements/web');
  const first = placement.status.decisions[0].clusterName as 'east' | 'west';
  const firstKey = (await get(`/apis/tmc.kcp.io/v1alpha1/clusterregistrations/${first}`)).status.clusterKey as string;

  // freeze the cluster that runs web: NotReady, failover; the old copy keeps reporting 3 ready
  const frozen = clusters[first].child;
  frozen.kill('SIGSTOP');
  let stopped = true;
  t.teardown(() => { if (stopped) frozen.kill('SIGCONT'); });
  // (or READY over 3, which fails below with what was seen)
  await waitFor('replacement ready beside the old copy', async () => {
    const d = await web();
    return (oldCopies(d)?.status === 'True' && d.status.readyReplicas === 3) || d.status.readyReplicas > 3;
  }, { timeoutMs: 90_000 });
  t.ok(Math.max(...readySeen()) <= 3, `READY never above 3 (seen: ${[...new Set(readySeen())].join(', ')})`);
  const during = await web();
  t.match(oldCopies(during).message, new RegExp(`${firstKey}: 3/3 ready`), 'the old copy is reported apart, with its ready count');
  t.match(await k(['get', 'deployment', 'web']), /web\s+3\/3\s/, 'kubectl shows 3/3 during the overlap');

  // thaw: the old copy goes, and with it the condition
  frozen.kill('SIGCONT');
  stopped = false;
  await waitFor('old copy gone', async () => {
    const d = await web();
    return oldCopies(d) === undefined && d.status.readyReplicas === 3;
  }, { timeoutMs: 60_000 });
  t.ok(Math.max(...readySeen()) <= 3, `READY never above 3 through the whole failover (seen: ${[...new Set(readySeen())].join(', ')})`);
  t.ok(watch.events.length > 2, `the watch saw the status change (${watch.events.length} events)`);
});
