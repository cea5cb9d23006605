/**
 * tmcctl cluster against real servers: a server-mode tmc-server (the cluster health controller
 * runs by default) and a cluster-mode tmc-server as the physical cluster. register (push) stores a
 * flattened kubeconfig Secret and a registration that becomes Ready; register (pull) prints the
 * agent manifest; list shows the columns; cordon / uncordon / drain set the fields as kcp's
 * TestCordonUncordonDrain expects.
 */
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { cordonPatch } from '../../src/cli/commands/cluster-cordon.js';
import { CLUSTER_REGISTRATIONS } from '../../src/apis/tmc/gvr.js';
import { startServer } from '../helpers/tmc.js';
import { kubeconfigCopy, rootClient, tmcctl, tmcctlOK } from './cli-harness.js';
import { SECRETS } from '../../src/apis/gvr.js';

t.test('cordonPatch', async (t) => {
  const now = new Date('2026-01-02T03:04:05.678Z');
  t.same(cordonPatch('cordon', now), { spec: { unschedulable: true } });
  t.same(cordonPatch('uncordon', now), { spec: { unschedulable: false, evictAfter: null } });
  t.same(cordonPatch('drain', now), { spec: { unschedulable: true, evictAfter: '2026-01-02T03:04:05Z' } });
});

t.test('register, list, cordon, uncordon, drain', async (t) => {
  const [srv, physical] = await Promise.all([startServer(t, { heartbeatSeconds: 1 }), startServer(t, { mode: 'cluster' })]);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  await tmcctlOK(kc, ['ws', 'create', 'clusters', '--enter']);

  const unbound = await tmcctl(kc, ['cluster', 'register', 'east', '--kubeconfig-file', physical.kubeconfigPath]);
  t.equal(unbound.code, 1, 'an unbound workspace is refused');
  t.match(unbound.stderr, /not served in root:clusters: bind the TMC API there first/);

  await tmcctlOK(kc, ['bind', 'all']);
  const ws = rootClient(t, kc).forCluster('root:clusters');

  const started = Date.now();
  const reg = await tmcctl(kc, ['cluster', 'register', 'east', '--kubeconfig-file', physical.kubeconfigPath,
    '--location', 'us-east', '--label', 'topology.kubernetes.io/region=us-east', '--label', 'tier=gold', '--timeout', '30s']);
  t.equal(reg.code, 0, reg.stderr);
  t.match(reg.stdout, /clusterregistration\/east created in root:clusters \(Push mode\)/);
  t.match(reg.stdout, /clusterregistration\/east is Ready \(key [A-Za-z0-9]{8}, v1\.32[^,]*, \d+ nodes\)/);
  t.comment(`Ready after ${Date.now() - started} ms`);

  const obj = await ws.get(CLUSTER_REGISTRATIONS, undefined, 'east') as any;
  t.same(obj.metadata.labels, { 'topology.kubernetes.io/region': 'us-east', tier: 'gold' });
  t.equal(obj.spec.location, 'us-east');
  t.equal(obj.spec.syncMode, 'Push');
  t.same(obj.spec.clusterEndpoint, { serverURL: physical.url, secretRef: { namespace: 'default', name: 'east-kubeconfig' } });
  t.equal(obj.status.conditions.find((c: any) => c.type === 'Ready').status, 'True');
  const secret = await ws.get(SECRETS, 'default', 'east-kubeconfig') as any;
  const stored = parse(Buffer.from(secret.data.kubeconfig, 'base64').toString('utf8'));
  t.equal(stored.clusters[0].cluster.server, physical.url);
  t.match(stored.clusters[0].cluster['certificate-authority-data'], /^[A-Za-z0-9+/=]{100,}$/, 'CA inlined');
  t.ok(stored.users[0].user['client-certificate-data'] && stored.users[0].user['client-key-data'], 'client cert and key inlined');

  // re-registering updates in place
  const again = await tmcctl(kc, ['cluster', 'register', 'east', '--kubeconfig-file', physical.kubeconfigPath, '--location', 'us-east-2', '--no-wait']);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /clusterregistration\/east updated/);
  t.equal((await ws.get(CLUSTER_REGISTRATIONS, undefined, 'east') as any).spec.location, 'us-east-2');

  // an unreachable cluster does not become Ready: the wait times out and says why
  const dead = await tmcctl(kc, ['cluster', 'register', 'dead', '--kubeconfig-file', physical.kubeconfigPath,
    '--server-url', 'https://127.0.0.1:1', '--timeout', '3s']);
  t.equal(dead.code, 1);
  t.match(dead.stderr, /timed out after 3s waiting for clusterregistration\/dead to be Ready/);
  t.equal((await ws.get(CLUSTER_REGISTRATIONS, undefined, 'dead') as any).spec.clusterEndpoint.serverURL, 'https://127.0.0.1:1', '--server-url wins');

  // pull mode: manifest on stdout, messages on stderr
  const pull = await tmcctl(kc, ['cluster', 'register', 'edge-1', '--mode', 'pull', '--location', 'edge', '--syncer-token', 'tok-1']);
  t.equal(pull.code, 0, pull.stderr);
  const docs = parseAllDocuments(pull.stdout).map((d) => d.toJS());
  t.same(docs.map((d) => d.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);
  const edge = await ws.get(CLUSTER_REGISTRATIONS, undefined, 'edge-1') as any;
  t.equal(edge.spec.syncMode, 'Pull');
  t.notOk(edge.spec.clusterEndpoint);
  const agentKc = parse(docs[4].stringData.kubeconfig);
  t.equal(agentKc.clusters[0].cluster.server, `${srv.url}/services/syncer/root:clusters/edge-1/${edge.metadata.uid}`);
  t.equal(agentKc.users[0].user.token, 'tok-1');
  t.match(docs[5].spec.template.spec.containers[0].args, ['--from-kubeconfig=/etc/tmc/kubeconfig', '--registration-workspace=root:clusters', '--registration=edge-1', `--registration-uid=${edge.metadata.uid}`]);
  t.match(pull.stderr, /clusterregistration\/edge-1 created/);
  const noToken = await tmcctl(kc, ['cluster', 'register', 'edge-2', '--mode', 'pull']);
  t.equal(noToken.code, 0);
  t.match(noToken.stderr, /Warning: no --syncer-token given.*system:tmc:syncer:root:clusters:edge-2/);
  t.match(noToken.stdout, /REPLACE-WITH-AGENT-TOKEN/);

  // list
  const table = await tmcctlOK(kc, ['cluster', 'list']);
  const lines = table.trimEnd().split('\n');
  t.match(lines[0], /^NAME\s+LOCATION\s+READY\s+UNSCHEDULABLE\s+KEY\s+AGE$/);
  t.match(lines.find((l) => l.startsWith('east ')), /^east\s+us-east-2\s+True\s+false\s+[A-Za-z0-9]{8}\s+\d+s$/);
  t.match(lines.find((l) => l.startsWith('edge-1 ')), /^edge-1\s+edge\s+\S+\s+false/);
  const listed = JSON.parse(await tmcctlOK(kc, ['cluster', 'list', '-o', 'json']));
  t.same(listed.items.map((i: any) => i.metadata.name).sort(), ['dead', 'east', 'edge-1', 'edge-2']);
  t.match(parse(await tmcctlOK(kc, ['cluster', 'list', '-o', 'yaml'])), { kind: 'List', items: Array });

  // cordon / uncordon / drain, as kcp's TestCordonUncordonDrain
  const spec = async () => (await ws.get(CLUSTER_REGISTRATIONS, undefined, 'east') as any).spec;
  t.equal(await tmcctlOK(kc, ['cluster', 'cordon', 'east']), 'clusterregistration/east cordoned (no new workloads; existing ones stay)\n');
  t.equal((await spec()).unschedulable, true);
  t.equal((await spec()).evictAfter, undefined, 'cordon leaves evictAfter unset');
  t.match(await tmcctlOK(kc, ['cluster', 'list']), /east\s+us-east-2\s+\S+\s+true\s/);
  await tmcctlOK(kc, ['cluster', 'uncordon', 'east']);
  t.equal((await spec()).unschedulable, false);
  t.equal((await spec()).evictAfter, undefined);
  const before = Date.now();
  t.match(await tmcctlOK(kc, ['cluster', 'drain', 'east']), /east drained/);
  const drained = await spec();
  t.equal(drained.unschedulable, true);
  t.ok(Math.abs(Date.parse(drained.evictAfter) - before) < 5_000, `evictAfter is now (${drained.evictAfter})`);
  t.match(await tmcctlOK(kc, ['cluster', 'list']), /east\s+us-east-2\s+\S+\s+true \(draining\)/);
  await tmcctlOK(kc, ['cluster', 'uncordon', 'east']);
  t.equal((await spec()).unschedulable, false);
  t.equal((await spec()).evictAfter, undefined, 'uncordon clears evictAfter');

  // errors
  const missing = await tmcctl(kc, ['cluster', 'cordon', 'nope']);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /clusterregistration "nope" not found in root:clusters; see "tmcctl cluster list"/);
  const noFile = await tmcctl(kc, ['cluster', 'register', 'x']);
  t.equal(noFile.code, 2);
  t.match(noFile.stderr, /push mode needs --kubeconfig-file/);
  t.equal((await tmcctl(kc, ['cluster', 'register', 'x', '--mode', 'sideways'])).code, 2);
  t.equal((await tmcctl(kc, ['cluster', 'register', 'x', '--mode', 'pull', '--label', 'novalue'])).code, 2);
  t.equal((await tmcctl(kc, ['cluster', 'register', 'Bad_Name', '--mode', 'pull'])).code, 2);
  t.equal((await tmcctl(kc, ['cluster', 'list', '-o', 'wide'])).code, 2, 'unknown output format');
});
