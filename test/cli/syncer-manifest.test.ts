import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { syncerManifest, syncerNamespace } from '../../src/cli/syncer-manifest.js';
import { DIST_ROOT, tempDir } from '../helpers/tmc.js';

const OPTS = {
  registrationName: 'edge-1', workspace: 'root:clusters', uid: '0b7c2a4e-uid', serverURL: 'https://tmc.example:6443/',
  token: 'tok-123', caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};

function parse(text: string): any[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) if (d.errors.length) throw d.errors[0];
  return docs.map((d) => d.toJS());
}

t.test('the manifest parses as YAML with the expected kinds, flags and kubeconfig', async (t) => {
  const docs = parse(syncerManifest(OPTS));
  t.same(docs.map((d) => d.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);
  const ns = syncerNamespace('edge-1', OPTS.uid);
  t.match(ns, /^tmc-syncer-edge-1-[a-z0-9]{8}$/);
  for (const d of docs.filter((x) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind))) t.equal(d.metadata.namespace, ns, d.kind);

  const deployment = docs[5];
  const container = deployment.spec.template.spec.containers[0];
  t.same(container.args, ['--from-kubeconfig=/etc/tmc/kubeconfig', '--registration-workspace=root:clusters', '--registration=edge-1', '--registration-uid=0b7c2a4e-uid']);
  t.notOk(container.args.some((a: string) => a.startsWith('--to-kubeconfig')), 'in-cluster downstream');
  t.equal(deployment.spec.template.spec.serviceAccountName, docs[1].metadata.name);
  t.equal(deployment.spec.template.spec.volumes[0].secret.secretName, docs[4].metadata.name);
  t.same(docs[3].subjects, [{ kind: 'ServiceAccount', name: docs[1].metadata.name, namespace: ns }]);
  t.ok(docs[2].rules.some((r: any) => r.apiGroups.includes('apps') && r.resources.includes('deployments')));

  const kubeconfig = parse(docs[4].stringData.kubeconfig)[0];
  t.equal(kubeconfig.clusters[0].cluster.server, 'https://tmc.example:6443/services/syncer/root:clusters/edge-1/0b7c2a4e-uid');
  t.equal(Buffer.from(kubeconfig.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), OPTS.caPem);
  t.equal(kubeconfig.users[0].user.token, 'tok-123');
});

t.test('image and namespace can be chosen', async (t) => {
  const docs = parse(syncerManifest({ ...OPTS, image: 'registry.local/syncer:v1', namespace: 'agents' }));
  t.equal(docs[0].metadata.name, 'agents');
  t.equal(docs[5].spec.template.spec.containers[0].image, 'registry.local/syncer:v1');
});

t.test('hack/syncer-manifest prints the same manifest from flags', async (t) => {
  const caFile = join(tempDir(t), 'ca.crt');
  writeFileSync(caFile, OPTS.caPem);
  const out = execFileSync(process.execPath, [join(DIST_ROOT, 'hack', 'syncer-manifest.js'),
    '--registration', 'edge-1', '--registration-workspace', 'root:clusters', '--registration-uid', OPTS.uid,
    '--server', OPTS.serverURL, '--token', 'tok-123', '--ca-file', caFile], { encoding: 'utf8' });
  t.equal(out, syncerManifest(OPTS));
});
