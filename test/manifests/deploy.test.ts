/**
 * manifests/deploy: each overlay renders with `kubectl kustomize` and passes
 * `kubectl apply --dry-run=server` against a physical cluster (`tmc-server --mode cluster`), which
 * runs admission and validation on every object but stores nothing. The image's entry point is a
 * file the build produces.
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DIST_ROOT, kubectl, kubectlOK, spawnServer } from '../helpers/tmc.js';

const REPO = resolve(DIST_ROOT, '..');
const DEPLOY = join(REPO, 'manifests', 'deploy');
const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

const render = (dir: string) => kubectlOK('/dev/null', ['kustomize', join(DEPLOY, dir)]);
const kinds = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS()).map((o) => `${o.kind}/${o.metadata.name}`).sort();

t.test('the overlays render and pass a server-side dry run', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const single = await render('overlays/single');
  const ha = await render('overlays/ha');
  const common = ['Deployment/tmc', 'Namespace/tmc-system', 'Role/tmc', 'RoleBinding/tmc', 'Service/tmc', 'ServiceAccount/tmc'];
  t.same(kinds(single), [...common, 'PersistentVolumeClaim/tmc-data'].sort());
  t.same(kinds(ha), [...common, 'Service/tmc-etcd', 'StatefulSet/tmc-etcd'].sort());

  const objects = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());
  const deployment = (yaml: string) => objects(yaml).find((o) => o.kind === 'Deployment');
  const s = deployment(single);
  t.equal(s.spec.replicas, 1);
  t.equal(s.spec.strategy.type, 'Recreate', 'sqlite: never two writers');
  t.ok(s.spec.template.spec.containers[0].args.includes('--storage=sqlite'));
  t.same(s.spec.template.spec.volumes[0], { name: 'data', persistentVolumeClaim: { claimName: 'tmc-data' } });
  const h = deployment(ha);
  t.equal(h.spec.replicas, 3);
  t.ok(h.spec.template.spec.containers[0].args.includes('--storage=etcd'));
  t.match(h.spec.template.spec.containers[0].args.join(' '), /--etcd-servers=http:\/\/tmc-etcd-0\.tmc-etcd:2379,/);
  t.equal(h.spec.template.spec.initContainers[0].name, 'pki', 'the replicas share one CA');

  const cluster = await spawnServer(t, ['--mode', 'cluster', '--nodes', '1']);
  // a dry run stores nothing, so the namespace its objects go into must exist for real
  await kubectlOK(cluster.kubeconfigPath, ['create', 'namespace', 'tmc-system']);
  for (const [name, yaml] of [['single', single], ['ha', ha]] as const) {
    const r = await kubectl(cluster.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], { input: yaml });
    t.equal(r.code, 0, `${name}: ${r.stderr}`);
    for (const k of kinds(yaml)) {
      const [kind, objName] = k.split('/');
      t.match(r.stdout, new RegExp(`${kind.toLowerCase()}[^ ]*/${objName} (created|configured|unchanged) \\(server dry run\\)`), `${name}: ${k}`);
    }
  }
  const left = await kubectlOK(cluster.kubeconfigPath, ['get', 'deployments,services,statefulsets,persistentvolumeclaims', '-n', 'tmc-system', '-o', 'name']);
  t.equal(left.trim(), '', 'nothing was stored');
});

t.test('the container build file runs what the build produces', async (t) => {
  const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
  const entry = /ENTRYPOINT \[(.*)\]/.exec(dockerfile)?.[1].split(',').map((s) => JSON.parse(s.trim())) ?? [];
  t.equal(entry[0], 'node');
  t.ok(existsSync(join(REPO, entry[entry.length - 1])), `${entry[entry.length - 1]} exists after npm run build`);
  t.match(dockerfile, /npm ci/);
  t.match(dockerfile, /USER 1000/, 'not root');
});
