/**
 * The strongest test: real kubectl request bodies. For each typed `kubectl create`, the protobuf
 * body it POSTs (--dry-run=server) must decode to exactly the JSON kubectl itself prints for the
 * same command (--dry-run=client -o json), which is kube's own JSON encoding of the same object.
 */
import t from 'tap';
import type { Test } from 'tap';
import { decodeKubernetesProtobuf, PROTOBUF_MEDIA_TYPE } from '../../../src/apiserver/protobuf/index.js';
import { kubectlAvailable, runKubectl } from './kubectl-capture.js';

const COMMANDS: string[][] = [
  ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=x=y'],
  ['create', 'namespace', 'ns1'],
  ['create', 'secret', 'generic', 's', '--from-literal=k=v', '--type=Opaque'],
  ['create', 'secret', 'docker-registry', 'dr', '--docker-username=u', '--docker-password=p'],
  ['create', 'serviceaccount', 'sa'],
  ['create', 'deployment', 'd', '--image=nginx', '--port=80', '--replicas=3'],
  ['create', 'deployment', 'd0', '--image=nginx', '--replicas=0'],
  ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--', 'date'],
  ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30001'],
  ['create', 'role', 'r', '--verb=get,list', '--resource=pods'],
  ['create', 'rolebinding', 'rb', '--role=r', '--user=bob', '--serviceaccount=default:sa'],
  ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes', '--non-resource-url=/x'],
  ['create', 'clusterrole', 'agg', '--aggregation-rule=a=b'],
  ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=g'],
  ['create', 'quota', 'q', '--hard=cpu=1,pods=2', '--scopes=BestEffort'],
  ['create', 'ingress', 'ing', '--rule=foo.com/bar=svc:80'],
  ['create', 'poddisruptionbudget', 'pdb', '--selector=a=b', '--min-available=50%'],
  ['create', 'priorityclass', 'pc', '--value=1000'],
];

async function check(t: Test, args: string[]): Promise<void> {
  const [server, client] = await Promise.all([
    runKubectl(args, ['--dry-run=server']),
    runKubectl(args, ['--dry-run=client', '-o', 'json']),
  ]);
  const post = server.captured.find((c) => c.method === 'POST');
  if (!post) { t.fail(`kubectl sent no POST: ${server.stderr}`); return; }
  t.equal(post.contentType, PROTOBUF_MEDIA_TYPE, 'kubectl sent protobuf');
  t.same(decodeKubernetesProtobuf(post.body), JSON.parse(client.stdout), 'decodes to what kubectl prints as JSON');
}

const skip = (await kubectlAvailable()) ? false : 'kubectl is not on PATH';

t.test('real kubectl bodies', { skip }, async (t) => {
  t.test('configmap: the exact object', async (t) => {
    const run = await runKubectl(['create', 'configmap', 'c', '--from-literal=a=b'], ['--dry-run=server']);
    const post = run.captured.find((c) => c.method === 'POST');
    t.ok(post, run.stderr);
    if (!post) return;
    t.match(post.url, /^\/api\/v1\/namespaces\/default\/configmaps\?/);
    // kubectl leaves the namespace to the URL; creationTimestamp null is kube's zero Time.
    t.same(decodeKubernetesProtobuf(post.body), {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: null }, data: { a: 'b' },
    });
  });

  // Four at a time: each runs two kubectl processes.
  const queue = [...COMMANDS];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let args = queue.shift(); args; args = queue.shift()) {
      const name = args.join(' ');
      await t.test(name, (tt) => check(tt, args!));
    }
  }));
});
