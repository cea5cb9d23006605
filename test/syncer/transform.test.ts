import t from 'tap';
import { CLUSTER_KEY_LABEL, specDiffAnnotation, stateLabel, statusAnnotation } from '../../src/apis/contract.js';
import type { KubeObject } from '../../src/client/types.js';
import { DESIRED_HASH_ANNOTATION, UPSTREAM_ANNOTATION, UPSTREAM_GENERATION_ANNOTATION } from '../../src/syncer/annotations.js';
import { SyncFailure } from '../../src/syncer/conditions.js';
import { CONFIGMAPS, DEPLOYMENTS, SERVICES } from '../../src/syncer/resources.js';
import { contains, needsApply } from '../../src/syncer/transform/drift.js';
import { toDownstream } from '../../src/syncer/transform/transform.js';
import { reportedStatus, sameReportedStatus } from '../../src/syncer/status/cluster-status.js';
import { stringifyJSON } from '../../src/machinery/json-text.js';

const KEY = 'Abc12345';
const upstream = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '42', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }], ownerReferences: [{ kind: 'X', name: 'y', uid: 'z', apiVersion: 'v1' }],
    finalizers: [`tmc.kcp.io/syncer-${KEY}`], deletionGracePeriodSeconds: 30,
    labels: { app: 'web', [stateLabel(KEY)]: 'Sync', [stateLabel('Other999')]: 'Sync' },
    annotations: {
      keep: 'me', 'kcp.io/cluster': 'root:team', 'tmc.kcp.io/placement': 'default/p', [statusAnnotation(KEY)]: '{}',
      [specDiffAnnotation(KEY)]: JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 1 }]),
      [`deletion.tmc.kcp.io/${KEY}`]: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}',
    },
  },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  status: { readyReplicas: 3 },
} as KubeObject);

t.test('toDownstream strips server and TMC fields and adds its own', async (t) => {
  const down = toDownstream({ upstreamObj: upstream(), resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'root:team', downstreamNamespace: 'tmc-abc' });
  const m = down.metadata!;
  for (const f of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'ownerReferences', 'finalizers', 'deletionGracePeriodSeconds']) {
    t.notOk(f in m, `${f} stripped`);
  }
  t.notOk('status' in down, 'status stripped');
  t.same(m.labels, { app: 'web', [CLUSTER_KEY_LABEL]: KEY }, 'all state labels gone, cluster key added');
  t.same(Object.keys(m.annotations!).sort(), ['keep', DESIRED_HASH_ANNOTATION, UPSTREAM_ANNOTATION, UPSTREAM_GENERATION_ANNOTATION].sort());
  t.same(JSON.parse(m.annotations![UPSTREAM_ANNOTATION]), { workspace: 'root:team', namespace: 'default', name: 'web' });
  t.equal(m.annotations![UPSTREAM_GENERATION_ANNOTATION], '3');
  t.equal(m.namespace, 'tmc-abc');
  t.equal((down as unknown as { spec: { replicas: number } }).spec.replicas, 1, 'spec-diff applied');
  t.equal(down.apiVersion, 'apps/v1');
  t.equal(down.kind, 'Deployment');
});

t.test('the spec-diff cannot remove TMC markers', async (t) => {
  const up = upstream();
  up.metadata!.annotations![specDiffAnnotation(KEY)] = JSON.stringify([{ op: 'add', path: '/metadata/namespace', value: 'evil' }]);
  const down = toDownstream({ upstreamObj: up, resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'root:team', downstreamNamespace: 'tmc-abc' });
  t.equal(down.metadata?.namespace, 'tmc-abc');
});

t.test('invalid spec-diffs are SyncFailures with reason InvalidSpecDiff', async (t) => {
  for (const bad of ['not json', '{"op":"replace"}', JSON.stringify([{ op: 'replace', path: '/spec/nope/deep', value: 1 }]), JSON.stringify([{ op: 'test', path: '/spec/replicas', value: 99 }])]) {
    const up = upstream();
    up.metadata!.annotations![specDiffAnnotation(KEY)] = bad;
    let caught: unknown;
    try {
      toDownstream({ upstreamObj: up, resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' });
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof SyncFailure && caught.reason === 'InvalidSpecDiff', `${bad} → InvalidSpecDiff`);
  }
});

t.test('a spec-diff for another cluster is ignored; dependencies never get one', async (t) => {
  const up = upstream();
  const other = toDownstream({ upstreamObj: up, resource: DEPLOYMENTS, clusterKey: 'Other999', workspace: 'w', downstreamNamespace: 'n' });
  t.equal((other as unknown as { spec: { replicas: number } }).spec.replicas, 3);
  const cm = toDownstream({ upstreamObj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', annotations: { [specDiffAnnotation(KEY)]: 'garbage' } }, data: { a: 'b' } } as KubeObject,
    resource: CONFIGMAPS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n', dependency: true });
  t.equal(cm.metadata?.labels?.['tmc.kcp.io/dependency'], 'true');
  t.notOk(cm.metadata?.annotations?.[UPSTREAM_GENERATION_ANNOTATION]);
});

t.test('services lose allocated cluster IPs but keep headless', async (t) => {
  const svc = (clusterIP: string) => toDownstream({ upstreamObj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd' }, spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ port: 80 }] } } as KubeObject,
    resource: SERVICES, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' }) as unknown as { spec: Record<string, unknown> };
  t.notOk('clusterIP' in svc('10.0.0.1').spec);
  t.equal(svc('None').spec.clusterIP, 'None');
});

t.test('the desired hash is stable and changes with content', async (t) => {
  const a = toDownstream({ upstreamObj: upstream(), resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' });
  const b = toDownstream({ upstreamObj: upstream(), resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' });
  t.equal(a.metadata?.annotations?.[DESIRED_HASH_ANNOTATION], b.metadata?.annotations?.[DESIRED_HASH_ANNOTATION]);
  const up = upstream();
  delete up.metadata!.labels!.app;
  const c = toDownstream({ upstreamObj: up, resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' });
  t.not(a.metadata?.annotations?.[DESIRED_HASH_ANNOTATION], c.metadata?.annotations?.[DESIRED_HASH_ANNOTATION], 'a removed label changes the hash');
});

t.test('drift: containment with server defaults, and changes detected', async (t) => {
  const desired = toDownstream({ upstreamObj: upstream(), resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'w', downstreamNamespace: 'n' });
  const actual = structuredClone(desired) as KubeObject & { spec: Record<string, unknown>; status?: unknown };
  actual.metadata!.uid = 'x';
  actual.metadata!.resourceVersion = '9';
  actual.spec.strategy = { type: 'RollingUpdate' }; // a server default
  actual.status = { replicas: 1 };
  t.notOk(needsApply(actual, desired), 'defaults and status are not drift');
  const scaled = structuredClone(actual) as typeof actual;
  scaled.spec.replicas = 7;
  t.ok(needsApply(scaled, desired), 'a hand scale is drift');
  const relabelled = structuredClone(actual);
  relabelled.metadata!.labels = { app: 'other', [CLUSTER_KEY_LABEL]: KEY };
  t.ok(needsApply(relabelled, desired), 'a changed label is drift');
  t.ok(needsApply(undefined, desired), 'a missing object needs an apply');
  t.ok(contains({ a: [1, 2], b: null }, { a: [1, 2] }));
  t.notOk(contains({ a: [1, 2, 3] }, { a: [1, 2] }), 'arrays must match in length');
  t.ok(contains({}, { x: null }), 'null desired = absent');
});

t.test('an object 10 000 levels deep is copied down, hashed, drift-checked and its status reported up', async (t) => {
  const nested = (n: number, leaf: unknown) => JSON.parse('{"a":'.repeat(n) + JSON.stringify(leaf) + '}'.repeat(n));
  const deepUp = { ...upstream(), spec: { replicas: 3, extra: nested(9_990, 1) }, status: { deep: nested(9_990, 'ok') } } as KubeObject;
  const down = toDownstream({ upstreamObj: deepUp, resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'root:team', downstreamNamespace: 'tmc-abc' });
  t.equal((down as any).spec.replicas, 1, 'spec-diff applied to the deep object');
  t.notOk(needsApply({ ...down, status: { observed: 1 } } as KubeObject, down), 'the deep copy holds what was applied');
  const changed = toDownstream({ upstreamObj: { ...deepUp, spec: { replicas: 3, extra: nested(9_990, 2) } } as KubeObject, resource: DEPLOYMENTS, clusterKey: KEY, workspace: 'root:team', downstreamNamespace: 'tmc-abc' });
  t.not(changed.metadata!.annotations![DESIRED_HASH_ANNOTATION], down.metadata!.annotations![DESIRED_HASH_ANNOTATION], 'the hash sees the deepest value');
  t.ok(needsApply(down, changed));
  const report = reportedStatus({ ...down, status: deepUp.status } as KubeObject, { type: 'Synced', status: 'True' } as never, undefined);
  const text = stringifyJSON(report);
  t.ok(sameReportedStatus(JSON.parse(text), report), 'the report survives its round trip through the status annotation');
});
