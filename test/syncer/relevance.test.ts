/**
 * upstream/relevance.ts: which upstream updates a cluster's syncer reconciles. Another cluster's
 * status, state label, spec-diff or finalizer and the aggregate `.status` are not its business;
 * the spec, its own per-cluster keys, its finalizer, deletion and other metadata are.
 */
import t from 'tap';
import { deletionAnnotation, specDiffAnnotation, stateLabel, statusAnnotation, syncerFinalizer } from '../../src/apis/contract.js';
import type { KubeObject } from '../../src/client/types.js';
import { relevantChange } from '../../src/syncer/upstream/relevance.js';

const A = 'keya';
const B = 'keyb';
const base = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '10', generation: 1,
    labels: { app: 'web', [stateLabel(A)]: 'Sync', [stateLabel(B)]: 'Sync' },
    annotations: { 'kcp.io/cluster': 'root:team', [statusAnnotation(A)]: '{}', [statusAnnotation(B)]: '{}' },
    finalizers: [syncerFinalizer(A)],
  },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  status: { replicas: 2 },
} as KubeObject);
const edit = (f: (o: KubeObject & { spec: { replicas: number }; status: Record<string, unknown> }) => void): KubeObject => {
  const o = base() as KubeObject & { spec: { replicas: number }; status: Record<string, unknown> };
  o.metadata!.resourceVersion = '11';
  f(o);
  return o;
};

t.test('ignored: other clusters and the aggregate', async (t) => {
  t.notOk(relevantChange(base(), edit(() => {}), A), 'resourceVersion only');
  t.notOk(relevantChange(base(), edit((o) => { o.metadata!.annotations![statusAnnotation(B)] = '{"readyReplicas":1}'; }), A), 'another cluster\'s status');
  t.notOk(relevantChange(base(), edit((o) => { o.status.readyReplicas = 2; }), A), 'the aggregate .status');
  t.notOk(relevantChange(base(), edit((o) => { o.metadata!.finalizers!.push(syncerFinalizer(B)); }), A), 'another cluster\'s finalizer');
  t.notOk(relevantChange(base(), edit((o) => { o.metadata!.annotations![specDiffAnnotation(B)] = '[]'; }), A), 'another cluster\'s spec-diff');
  t.notOk(relevantChange(base(), edit((o) => { delete o.metadata!.labels![stateLabel(B)]; }), A), 'another cluster\'s state label');
});

t.test('relevant: spec, metadata, own keys, deletion', async (t) => {
  t.ok(relevantChange(base(), edit((o) => { o.spec.replicas = 3; }), A), 'spec');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.labels!.tier = 'web'; }), A), 'a user label');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.annotations!.note = 'x'; }), A), 'a user annotation');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.annotations![specDiffAnnotation(A)] = '[]'; }), A), 'own spec-diff');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.annotations![deletionAnnotation(A)] = 'now'; }), A), 'own deletion annotation');
  t.ok(relevantChange(base(), edit((o) => { delete o.metadata!.annotations![statusAnnotation(A)]; }), A), 'own status annotation removed');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.finalizers = []; }), A), 'own finalizer removed');
  t.ok(relevantChange(base(), edit((o) => { o.metadata!.deletionTimestamp = '2024-01-01T00:00:00Z'; }), A), 'deletion');
  t.ok(relevantChange(base(), edit((o) => { (o as Record<string, unknown>).data = { a: '1' }; }), A), 'a new top-level field');
  t.ok(relevantChange(base(), edit((o) => { delete o.metadata!.annotations![statusAnnotation(B)]; }), B), 'B\'s report removed is relevant to B');
  t.notOk(relevantChange(base(), edit((o) => { o.metadata!.annotations![statusAnnotation(A)] = '{"readyReplicas":2}'; }), A), 'own report rewritten (our write)');
  const unreported = edit((o) => { delete o.metadata!.annotations![statusAnnotation(A)]; });
  t.notOk(relevantChange(unreported, base(), A), 'own first report written (our write)');
});
