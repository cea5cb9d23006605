/**
 * Cluster health end to end: an in-process tmc-server (server mode) runs the ClusterRegistration
 * controller as a component (heartbeat 1 s, threshold 3 s); two physical clusters are
 * `tmc-server --mode cluster` child processes, so one can be frozen with SIGSTOP. Registrations
 * and their Secrets are created with the real kubectl from manifests, as a user would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { resolveKubeConfig } from '../../src/client/kubeconfig.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/types.js';
import { clusterRegistrationComponent } from '../../src/reconcilers/clusterregistration/index.js';
import { request } from '../helpers/http.js';
import { kubectl, kubectlOK, spawnServer, startServer, tempDir, type SpawnedServer } from '../helpers/tmc.js';
import { NODES } from '../../src/apis/gvr.js';
import { waitFor } from '../helpers/wait.js';

const WORKSPACE = 'root:clusters';

const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

t.test('clusters register, report capacity, go NotReady + tainted when frozen, recover, and reject bad tokens', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const server = await startServer(t, { heartbeatSeconds: 1, heartbeatThresholdSeconds: 3 }, {
    components: [(deps) => clusterRegistrationComponent(deps, { workspaces: [WORKSPACE] })],
  });
  // the cluster-mode simulator registers --nodes Nodes of 4 cpu / 16Gi / 110 pods each
  const [east, west] = await Promise.all([spawnServer(t, ['--mode', 'cluster', '--nodes', '2']), spawnServer(t, ['--mode', 'cluster', '--nodes', '3'])]);

  const dir = tempDir(t);
  const wsServer = `${server.url}/clusters/${WORKSPACE}`;
  const k = (args: string[], input?: string) => kubectlOK(server.kubeconfigPath, args, { input, server: wsServer });
  await kubectlOK(server.kubeconfigPath, ['create', '-f', '-'], {
    input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: clusters}\n',
  });
  await waitFor('workspace ready', async () => (await kubectl(server.kubeconfigPath, ['get', 'namespaces'], { server: wsServer })).code === 0, { timeoutMs: 15_000 });
  await k(['apply', '-f', '-'], BINDINGS);
  await waitFor('tmc.kcp.io bound', async () => (await kubectl(server.kubeconfigPath, ['get', 'clusterregistrations'], { server: wsServer })).code === 0, { timeoutMs: 15_000 });

  for (const [name, cluster] of [['east', east], ['west', west]] as const) {
    await k(['create', 'secret', 'generic', `${name}-creds`, `--from-file=kubeconfig=${cluster.kubeconfigPath}`]);
    await k(['apply', '-f', '-'], registrationManifest(name, cluster.url, `${name}-creds`));
  }

  const creds = { caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem };
  const get = async (name: string) => (await request(server.url, creds, 'GET', `/clusters/${WORKSPACE}/apis/tmc.kcp.io/v1alpha1/clusterregistrations/${name}`)).json;
  const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);
  const isReady = async (name: string) => condition(await get(name), 'Ready')?.status === 'True';

  await waitFor('both clusters Ready', async () => (await isReady('east')) && (await isReady('west')), { timeoutMs: 30_000 });
  const eastObj = await get('east');
  t.same(eastObj.status.capacity, { cpu: '8', memory: '32Gi', pods: '220' }, 'capacity summed over 2 nodes');
  t.same((await get('west')).status.capabilities.nodeCount, 3);
  t.match(eastObj.status.capabilities.kubernetesVersion, /^v1\.32/);
  t.match(eastObj.status.clusterKey, /^[A-Za-z0-9]{8}$/);
  t.equal(eastObj.status.virtualWorkspaces[0].url, `${server.url}/services/syncer/${WORKSPACE}/east/${eastObj.metadata.uid}`);
  t.equal(eastObj.status.syncedResources.find((s: any) => s.resource === 'deployments').state, 'Accepted');
  t.equal(condition(eastObj, 'Schedulable').status, 'True');
  const table = await k(['get', 'clusterregistrations']);
  t.match(table, /east\s+\S*\s*True/, 'kubectl get shows Ready');

  // heartbeats keep coming: lastHeartbeatTime moves
  const firstBeat = eastObj.status.lastHeartbeatTime;
  await waitFor('heartbeat renewed', async () => (await get('east')).status.lastHeartbeatTime !== firstBeat, { timeoutMs: 10_000 });

  // freeze west: past the 3 s threshold it is NotReady and tainted; east is unaffected
  west.child.kill('SIGSTOP');
  let stopped = true;
  t.teardown(() => { if (stopped) west.child.kill('SIGCONT'); });
  await waitFor('west NotReady', async () => condition(await get('west'), 'Ready')?.status === 'False', { timeoutMs: 30_000 });
  const frozen = await get('west');
  t.equal(condition(frozen, 'Ready').reason, 'HeartbeatMissed');
  t.equal(condition(frozen, 'Reachable').status, 'False');
  t.match(frozen.spec.taints, [{ key: 'tmc.kcp.io/unreachable', effect: 'NoSchedule' }]);
  t.ok(frozen.spec.taints[0].timeAdded, 'timeAdded set');
  t.ok(await isReady('east'), 'east still Ready');

  // thaw: Ready again, taint gone
  west.child.kill('SIGCONT');
  stopped = false;
  await waitFor('west recovered', async () => {
    const w = await get('west');
    return condition(w, 'Ready')?.status === 'True' && !(w.spec.taints ?? []).length;
  }, { timeoutMs: 30_000 });

  // a wrong token: reachable, but Authorized False
  const caPath = join(dir, 'east-ca.crt');
  writeFileSync(caPath, resolveKubeConfig({ file: east.kubeconfigPath }).ca!);
  await k(['create', 'secret', 'generic', 'bad-creds', '--from-literal=token=not-a-real-token', `--from-file=ca.crt=${caPath}`]);
  await k(['apply', '-f', '-'], registrationManifest('east-bad-token', east.url, 'bad-creds'));
  await waitFor('Authorized False', async () => condition(await get('east-bad-token'), 'Authorized')?.status === 'False', { timeoutMs: 30_000 });
  const bad = await get('east-bad-token');
  t.equal(condition(bad, 'Authorized').reason, 'Unauthorized');
  t.equal(condition(bad, 'Ready').status, 'False');
  t.equal(condition(bad, 'Reachable').status, 'True');

  // a missing Secret says so
  await k(['apply', '-f', '-'], registrationManifest('no-secret', east.url, 'does-not-exist'));
  await waitFor('SecretNotFound', async () => condition(await get('no-secret'), 'Ready')?.reason === 'SecretNotFound', { timeoutMs: 30_000 });
  t.pass('missing secret reported');
});

const BINDINGS = `
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: tmc}
spec: {reference: {export: {path: "root:tmc", name: tmc.kcp.io}}}
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: kubernetes}
spec: {reference: {export: {path: "root:compute", name: kubernetes}}}
`;

function registrationManifest(name: string, serverURL: string, secretName: string): string {
  return `
apiVersion: tmc.kcp.io/v1alpha1
kind: ClusterRegistration
metadata:
  name: ${name}
  labels: {topology.kubernetes.io/region: test}
spec:
  location: test
  syncMode: Push
  clusterEndpoint:
    serverURL: ${serverURL}
    secretRef: {namespace: default, name: ${secretName}}
`;
}

