/**
 * Placement at admission, end to end with the default wiring: a workspace that bound the tmc and
 * compute exports, a WorkloadPlacement whose status already has decisions (written through the
 * /status subresource with kubectl), and a raw watch on deployments: the FIRST event of a new
 * Deployment the placement selects (ADDED) already carries the state label and the placement
 * annotation — they were set in the create itself, not by a later controller pass.
 *
 * The workload placement controller also runs in server mode. With no ClusterRegistrations it
 * recomputes the placement's decisions as empty (phase Pending) and overwrites hand-written ones;
 * `spec.pinnedRevision` naming a revision that does not exist makes it "touch nothing" (phase
 * Failed, decisions kept, workloads untouched), which is what the main test uses.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer, type RunningServer } from '../../helpers/tmc.js';
import { openWatch } from '../../helpers/http.js';
import { waitFor } from '../../helpers/wait.js';

const KEY = 'abc12345';

const binding = (name: string, path: string, exportName: string) =>
  `apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: ${name}}\nspec:\n  reference: {export: {path: "${path}", name: ${exportName}}}\n`;

async function workspaceWithExports(kc: string, srv: RunningServer, name: string): Promise<string> {
  await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}}\n` });
  const server = `${srv.url}/clusters/root:${name}`;
  await waitFor(`workspace root:${name}`, async () => ((await kubectl(kc, ['get', 'namespace', 'default'], { server })).code === 0 ? true : undefined));
  await kubectlOK(kc, ['apply', '-f', '-'], { server, input: binding('kubernetes', 'root:compute', 'kubernetes') + '---\n' + binding('tmc', 'root:tmc', 'tmc.kcp.io') });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', 'apibinding/tmc', '--timeout=30s'], { server });
  return server;
}

const placement = (name: string, extra = '') => `apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: ${name}, namespace: default}
spec:
  workloadSelector:
    labelSelector: {matchLabels: {tier: web}}
${extra}`;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}, tier: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default, labels: {tier: web}}\ndata: {a: "1"}\n`;

const decisionsPatch = JSON.stringify({ status: { decisions: [{ clusterName: 'c1', clusterKey: KEY }] } });

t.test('placement at admission: the first watch event already carries the placement', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const server = await workspaceWithExports(kc, srv, 'placed');
  const creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const k = (args: string[], input?: string) => kubectlOK(kc, args, { server, ...(input !== undefined ? { input } : {}) });

  // pinned to a revision that does not exist: the controller keeps the decisions written here
  await k(['apply', '-f', '-'], placement('p', '  pinnedRevision: 999\n'));
  await k(['-n', 'default', 'patch', 'workloadplacement', 'p', '--subresource', 'status', '--type', 'merge', '-p', decisionsPatch]);
  t.equal(await k(['-n', 'default', 'get', 'workloadplacement', 'p', '-o', 'jsonpath={.status.decisions[0].clusterKey}']), KEY, 'status written through /status');

  // wait until admission sees the decisions: a probe ConfigMap (also a workload kind) comes back placed
  let n = 0;
  await waitFor('admission placing a probe', async () => {
    const out = await k(['create', '-o', 'json', '-f', '-'], configMap(`probe-${n++}`));
    return JSON.parse(out).metadata.labels?.[`state.tmc.kcp.io/${KEY}`] === 'Sync' ? true : undefined;
  });

  const w = openWatch(srv.url, creds, '/clusters/root:placed/apis/apps/v1/namespaces/default/deployments?watch=true');
  t.teardown(() => w.stop());
  t.equal(await w.status, 200);
  await k(['apply', '-f', '-'], deployment('web'));
  await waitFor('the first watch event', async () => (w.events.length ? true : undefined));
  const first = w.events[0];
  t.equal(first.type, 'ADDED');
  t.equal(first.object.metadata.name, 'web');
  t.equal(first.object.metadata.labels[`state.tmc.kcp.io/${KEY}`], 'Sync', 'state label set in the create itself');
  t.equal(first.object.metadata.annotations['tmc.kcp.io/placement'], 'default/p', 'placement annotation set in the create itself');
  t.equal(first.object.metadata.labels.tier, 'web', 'user labels kept');

  // not selected: no placement
  const other = JSON.parse(await k(['create', '-o', 'json', '-f', '-'], deployment('db').replace('tier: web', 'tier: db')));
  t.notOk(Object.keys(other.metadata.labels ?? {}).some((l) => l.startsWith('state.tmc.kcp.io/')), 'a workload the placement does not select is left alone');
  t.notOk(other.metadata.annotations?.['tmc.kcp.io/placement']);

  // server-side dry run shows the placement it would get, and stores nothing
  const dry = JSON.parse(await k(['create', '--dry-run=server', '-o', 'json', '-f', '-'], deployment('dry')));
  t.equal(dry.metadata.labels[`state.tmc.kcp.io/${KEY}`], 'Sync');
  t.match((await kubectl(kc, ['-n', 'default', 'get', 'deployment', 'dry'], { server })).stderr, 'NotFound');

  // the controller leaves the pinned placement's decisions and the workload alone
  t.equal(await k(['-n', 'default', 'get', 'workloadplacement', 'p', '-o', 'jsonpath={.status.decisions[0].clusterKey}']), KEY);
  const labels = JSON.parse(await k(['-n', 'default', 'get', 'deployment', 'web', '-o', 'json'])).metadata.labels;
  t.equal(labels[`state.tmc.kcp.io/${KEY}`], 'Sync');
});
