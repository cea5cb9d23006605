/**
 * decodeKubernetesProtobuf on bodies hand-built from the field numbers of the real
 * generated.proto files (release-1.32), written out here independently of the decoder's tables.
 */
import t from 'tap';
import { isStatusError } from '../../../src/errors/status.js';
import { decodeKubernetesProtobuf } from '../../../src/apiserver/protobuf/index.js';
import { envelope, f, mapField, msg, varint } from './encoder.js';

/** ObjectMeta: name=1, namespace=3, creationTimestamp=8, labels=11, annotations=12, ownerReferences=13, finalizers=14. */
const meta = (name: string, ...more: Uint8Array[]) => f(1, msg(f(1, name), f(2, ''), f(3, 'default'), f(8, msg()), ...more));

function statusOf(fn: () => unknown): number | string {
  try { fn(); return 'no error'; } catch (e) { return isStatusError(e) ? e.code : `non-Status ${(e as Error).name}`; }
}

t.test('ConfigMap: data and binaryData maps, immutable', async (t) => {
  // ConfigMap: metadata=1, data=2 map<string,string>, binaryData=3 map<string,bytes>, immutable=4
  const body = envelope('v1', 'ConfigMap', msg(
    meta('c', mapField(11, { app: 'x' }), mapField(12, { note: 'hi' })),
    mapField(2, { a: 'b', empty: '' }),
    mapField(3, { bin: Uint8Array.of(0, 1, 255) }),
    f(4, true)));
  t.same(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', creationTimestamp: null, labels: { app: 'x' }, annotations: { note: 'hi' } },
    data: { a: 'b', empty: '' },
    binaryData: { bin: 'AAH/' },
    immutable: true,
  });
});

t.test('Namespace: spec.finalizers, status.phase; empty strings Go omits are omitted', async (t) => {
  const body = envelope('v1', 'Namespace', msg(meta('ns'), f(2, msg(f(1, 'kubernetes'))), f(3, msg(f(1, 'Active')))));
  t.same(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: 'ns', namespace: 'default', creationTimestamp: null },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  });
});

t.test('Secret: data bytes become base64, stringData and type stay strings', async (t) => {
  // Secret: metadata=1, data=2 map<string,bytes>, type=3, stringData=4, immutable=5
  const body = envelope('v1', 'Secret', msg(meta('s'), mapField(2, { k: new TextEncoder().encode('v') }), f(3, 'Opaque'), mapField(4, { p: 'plain' })));
  const got = decodeKubernetesProtobuf(body);
  t.same(got.data, { k: 'dg==' });
  t.equal(got.type, 'Opaque');
  t.same(got.stringData, { p: 'plain' });
  t.notOk('immutable' in got, 'an absent *bool is absent');
});

t.test('Deployment: replicas (even 0), selector, template with a container, ports, env, resources, strategy', async (t) => {
  const container = msg(
    f(1, 'nginx'), f(2, 'nginx:1.27'), f(3, 'sh'), f(3, '-c'),
    f(6, msg(f(1, 'http'), f(3, 80), f(4, 'TCP'))), f(6, msg(f(3, 443))),
    f(7, msg(f(1, 'A'), f(2, 'B'))),
    f(8, msg(mapField(1, { cpu: msg(f(1, '500m')) }), f(2, msg(f(1, 'mem'), f(2, msg(f(1, '1Gi'))))))),
    f(9, msg(f(1, 'cfg'), f(3, '/etc/cfg'))),
  );
  const podSpec = msg(f(1, msg(f(1, 'cfg'), f(2, msg(f(19, msg(f(1, msg(f(1, 'my-cm'))), f(3, 420))))))), f(2, container), f(3, 'Always'));
  const spec = msg(
    f(1, 0),
    f(2, msg(mapField(1, { app: 'd' }))),
    f(3, msg(f(1, msg(mapField(11, { app: 'd' }))), f(2, podSpec))),
    // strategy: type=1, rollingUpdate=2 {maxUnavailable=1, maxSurge=2}; IntOrString {type=1, intVal=2, strVal=3}
    f(4, msg(f(1, 'RollingUpdate'), f(2, msg(f(1, msg(f(1, 0), f(2, 1))), f(2, msg(f(1, 1), f(3, '25%'))))))),
  );
  const got = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', msg(meta('d'), f(2, spec), f(3, msg()))));
  t.same(got, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default', creationTimestamp: null },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          volumes: [{ name: 'cfg', configMap: { name: 'my-cm', defaultMode: 420 } }],
          containers: [{
            name: 'nginx', image: 'nginx:1.27', command: ['sh', '-c'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
            env: [{ name: 'A', value: 'B' }],
            resources: { limits: { cpu: '500m' }, requests: { mem: '1Gi' } },
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
          }],
          restartPolicy: 'Always',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
    },
    status: {},
  });
});

t.test('RoleBinding: subjects and roleRef; ClusterRole without rules is rules: null as kube writes it', async (t) => {
  // RoleBinding: metadata=1, subjects=2 {kind=1, apiGroup=2, name=3, namespace=4}, roleRef=3 {apiGroup=1, kind=2, name=3}
  const rb = envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', msg(meta('rb'),
    f(2, msg(f(1, 'User'), f(2, 'rbac.authorization.k8s.io'), f(3, 'bob'))),
    f(2, msg(f(1, 'ServiceAccount'), f(2, ''), f(3, 'sa'), f(4, 'default'))),
    f(3, msg(f(1, 'rbac.authorization.k8s.io'), f(2, 'Role'), f(3, 'r')))));
  const got = decodeKubernetesProtobuf(rb);
  t.same(got.subjects, [
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
  ]);
  t.same(got.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });

  // ClusterRole: rules=2 (PolicyRule verbs=1, apiGroups=2, resources=3), aggregationRule=3 {clusterRoleSelectors=1}
  const cr = decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'ClusterRole',
    msg(meta('cr'), f(3, msg(f(1, msg(mapField(1, { a: 'b' }))))))));
  t.equal(cr.rules, null);
  t.same(cr.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] });
});

t.test('meta/v1 Time (nanos dropped, as kube does) and ownerReferences; int64 pointers', async (t) => {
  const owner = msg(f(5, 'apps/v1'), f(1, 'ReplicaSet'), f(3, 'rs'), f(4, 'uid-1'), f(6, true));
  const ns = decodeKubernetesProtobuf(envelope('v1', 'Namespace', msg(f(1, msg(f(1, 'n'), f(8, msg(f(1, 1700000000), f(2, 5))), f(13, owner), f(14, 'x'))))));
  t.same(ns.metadata, {
    name: 'n', creationTimestamp: '2023-11-14T22:13:20Z',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'uid-1', controller: true }],
    finalizers: ['x'],
  });
  // Pod: spec=2; PodSpec terminationGracePeriodSeconds=4 (*int64), containers=2
  const pod = decodeKubernetesProtobuf(envelope('v1', 'Pod', msg(f(1, msg(f(1, 'p'))), f(2, msg(f(4, 30), f(2, msg(f(1, 'c'), f(2, 'i'))))))));
  t.same(pod.spec, { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'i' }] });
});

t.test('unknown fields are skipped, whatever their wire type', async (t) => {
  const fixed = Uint8Array.from([...varint(99 * 8 + 5), 1, 2, 3, 4]);
  const body = envelope('v1', 'ConfigMap', msg(f(1, msg(f(1, 'c'), f(100, 'future'))), f(77, 5), fixed, mapField(2, { a: 'b' })));
  t.same(decodeKubernetesProtobuf(body), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
});

t.test('a kind not in the tables is a 415 that names it and says what to do instead', async (t) => {
  try {
    decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', msg()));
    t.fail('should throw');
  } catch (e) {
    t.ok(isStatusError(e));
    if (!isStatusError(e)) return;
    t.equal(e.code, 415);
    t.match(e.message, /Widget \(example\.com\/v1\)/);
    t.match(e.message, /kubectl apply/);
  }
  t.equal(statusOf(() => decodeKubernetesProtobuf(envelope('v1', 'PodSpec', msg()))), 415, 'nested types are not top-level kinds');
});

t.test('an envelope that carries JSON is read as JSON', async (t) => {
  const body = envelope('v1', 'ConfigMap', new TextEncoder().encode('{"metadata":{"name":"j"}}'), [f(4, 'application/json')]);
  t.same(decodeKubernetesProtobuf(body), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } });
  t.equal(statusOf(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', msg(), [f(3, 'gzip')]))), 415);
});

t.test('malformed bodies are 400s: bad magic, truncation anywhere, garbage, wrong wire types', async (t) => {
  t.equal(statusOf(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"ConfigMap"}'))), 400, 'JSON is not protobuf');
  t.equal(statusOf(() => decodeKubernetesProtobuf(Buffer.from('k8s'))), 400, 'short magic');
  t.equal(statusOf(() => decodeKubernetesProtobuf(envelope('', '', msg()))), 400, 'no kind');
  t.equal(statusOf(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', msg(f(2, 7))))), 400, 'map field as a varint');

  const container = msg(f(1, 'c'), f(6, msg(f(3, 80))));
  const template = msg(f(2, msg(f(2, container))));
  const good = envelope('apps/v1', 'Deployment', msg(meta('d', mapField(11, { a: 'b' })), f(2, msg(f(1, 3), f(3, template)))));
  t.ok(decodeKubernetesProtobuf(good), 'the untruncated body decodes');
  const seen = new Set<number | string>();
  for (let n = 4; n < good.length; n++) {
    // Every truncation either decodes (it ended between fields) or is a 400: never a crash.
    try { decodeKubernetesProtobuf(good.subarray(0, n)); seen.add('ok'); } catch (e) { seen.add(isStatusError(e) ? e.code : 'crash'); }
  }
  t.notOk(seen.has('crash'), 'no truncation crashes');
  t.ok(seen.has(400), 'truncations are reported as 400');

  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.from(good);
    for (let j = 0; j < 3; j++) b[4 + Math.floor(rand() * (b.length - 4))] = Math.floor(rand() * 256);
    const s = statusOf(() => decodeKubernetesProtobuf(b));
    if (typeof s === 'string' && s !== 'no error') { t.fail(`mutated body ${b.toString('hex')} threw ${s}`); break; }
  }
  t.pass('2000 mutated bodies decode or fail with a StatusError');
});
