/**
 * Each filter, table-driven: the verdict for a new cluster and for one that already holds the
 * workload (previous), with the stable reason.
 */
import t from 'tap';
import type { ClusterRegistration, WorkloadPlacementSpec } from '../../src/placement/types.js';
import { ago, cluster, deployment, NOW, run, verdict } from './fixtures.js';

interface Row {
  name: string;
  plugin: string;
  spec?: WorkloadPlacementSpec;
  cluster: ClusterRegistration;
  previous?: boolean;
  workload?: ReturnType<typeof deployment>;
  /** only the verdict matters (the decision fails for another reason) */
  verdictOnly?: boolean;
  /** expected: pass | retained | reason of the failure */
  want: 'pass' | 'retained' | string;
}

const future = new Date(NOW + 3600_000).toISOString();

const rows: Row[] = [
  // clusterSelector
  { name: 'names match', plugin: 'ClusterSelector', spec: { clusterSelector: { clusterNames: ['x'] } }, cluster: cluster('x'), want: 'pass' },
  { name: 'names miss', plugin: 'ClusterSelector', spec: { clusterSelector: { clusterNames: ['y'] } }, cluster: cluster('x'), want: 'ClusterNotSelected' },
  { name: 'labels match', plugin: 'ClusterSelector', spec: { clusterSelector: { labelSelector: { matchLabels: { env: 'prod' } } } }, cluster: cluster('x', { labels: { env: 'prod' } }), want: 'pass' },
  { name: 'labels miss', plugin: 'ClusterSelector', spec: { clusterSelector: { labelSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] } } }, cluster: cluster('x', { labels: { env: 'prod' } }), want: 'ClusterNotSelected' },
  { name: 'location match', plugin: 'ClusterSelector', spec: { clusterSelector: { locations: ['eu-1'] } }, cluster: cluster('x', { location: 'eu-1' }), want: 'pass' },
  { name: 'location miss', plugin: 'ClusterSelector', spec: { clusterSelector: { locations: ['eu-1'] } }, cluster: cluster('x', { location: 'us-1' }), want: 'ClusterNotSelected' },
  { name: 'CEL true', plugin: 'ClusterSelector', spec: { clusterSelector: { expression: "cluster.metadata.labels['tier'] == 'gold'" } }, cluster: cluster('x', { labels: { tier: 'gold' } }), want: 'pass' },
  { name: 'CEL false', plugin: 'ClusterSelector', spec: { clusterSelector: { expression: "cluster.metadata.labels['tier'] == 'gold'" } }, cluster: cluster('x', { labels: { tier: 'iron' } }), want: 'ClusterNotSelected' },
  { name: 'CEL syntax error', plugin: 'ClusterSelector', spec: { clusterSelector: { expression: 'cluster.(' } }, cluster: cluster('x'), want: 'CELError' },
  { name: 'selector mismatch evicts previous', plugin: 'ClusterSelector', spec: { clusterSelector: { clusterNames: ['y'] } }, cluster: cluster('x'), previous: true, want: 'ClusterNotSelected' },
  // rules
  { name: 'rule holds', plugin: 'Rules', spec: { rules: [{ expression: "cluster.spec.location == 'eu-1'", message: 'must run in the EU' }] }, cluster: cluster('x', { location: 'eu-1' }), want: 'pass' },
  { name: 'rule fails', plugin: 'Rules', spec: { rules: [{ expression: "cluster.spec.location == 'eu-1'", message: 'must run in the EU' }] }, cluster: cluster('x', { location: 'us-1' }), want: 'RuleFailed' },
  { name: 'rule sees workload', plugin: 'Rules', spec: { rules: [{ expression: "workload.metadata.namespace == 'default'" }] }, cluster: cluster('x'), want: 'pass' },
  // Ready
  { name: 'ready', plugin: 'Ready', cluster: cluster('x'), want: 'pass' },
  { name: 'not ready, new', plugin: 'Ready', cluster: cluster('x', { ready: false }), want: 'NotReady' },
  { name: 'not ready within default grace keeps previous', plugin: 'Ready', cluster: cluster('x', { ready: false, readySince: ago(60) }), previous: true, want: 'retained' },
  { name: 'not ready past default grace evicts previous', plugin: 'Ready', cluster: cluster('x', { ready: false, readySince: ago(301) }), previous: true, want: 'NotReady' },
  { name: 'failover.tolerationSeconds shortens grace', plugin: 'Ready', spec: { failover: { tolerationSeconds: 30 } }, cluster: cluster('x', { ready: false, readySince: ago(60) }), previous: true, want: 'NotReady' },
  // cordon
  { name: 'cordoned, new', plugin: 'Unschedulable', cluster: cluster('x', { unschedulable: true }), want: 'Cordoned' },
  { name: 'cordoned keeps previous', plugin: 'Unschedulable', cluster: cluster('x', { unschedulable: true }), previous: true, want: 'retained' },
  // drain
  { name: 'evictAfter past', plugin: 'Eviction', cluster: cluster('x', { evictAfter: ago(1) }), want: 'Evicting' },
  { name: 'evictAfter past removes previous', plugin: 'Eviction', cluster: cluster('x', { evictAfter: ago(1) }), previous: true, want: 'Evicting' },
  { name: 'evictAfter future blocks new', plugin: 'Eviction', cluster: cluster('x', { evictAfter: future }), want: 'Draining' },
  { name: 'evictAfter future keeps previous', plugin: 'Eviction', cluster: cluster('x', { evictAfter: future }), previous: true, want: 'retained' },
  // taints
  { name: 'NoSchedule untolerated', plugin: 'TaintToleration', cluster: cluster('x', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), want: 'UntoleratedTaint' },
  { name: 'NoSchedule keeps previous', plugin: 'TaintToleration', cluster: cluster('x', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), previous: true, want: 'retained' },
  { name: 'NoSchedule tolerated Equal', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }, cluster: cluster('x', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), want: 'pass' },
  { name: 'Equal with wrong value', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'gpu', value: 'false' }] }, cluster: cluster('x', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }), want: 'UntoleratedTaint' },
  { name: 'Exists without key tolerates all', plugin: 'TaintToleration', spec: { tolerations: [{ operator: 'Exists' }] }, cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] }), want: 'pass' },
  { name: 'effect must match', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] }, cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoExecute' }] }), want: 'UntoleratedTaint' },
  { name: 'PreferNoSchedule is not a filter', plugin: 'TaintToleration', cluster: cluster('x', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }), want: 'pass' },
  { name: 'NoExecute evicts previous', plugin: 'TaintToleration', cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoExecute' }] }), previous: true, want: 'UntoleratedTaint' },
  { name: 'NoExecute tolerated within tolerationSeconds', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'a', operator: 'Exists', tolerationSeconds: 600 }] }, cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoExecute', timeAdded: ago(599) }] }), previous: true, want: 'pass' },
  { name: 'NoExecute toleration expired (now − timeAdded ≥ tolerationSeconds)', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'a', operator: 'Exists', tolerationSeconds: 600 }] }, cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoExecute', timeAdded: ago(600) }] }), previous: true, want: 'TolerationExpired' },
  { name: 'NoExecute without timeAdded counts from now', plugin: 'TaintToleration', spec: { tolerations: [{ key: 'a', operator: 'Exists', tolerationSeconds: 60 }] }, cluster: cluster('x', { taints: [{ key: 'a', effect: 'NoExecute' }] }), previous: true, want: 'pass' },
  // API compatibility
  { name: 'synced resource present', plugin: 'APICompatibility', cluster: cluster('x', { synced: ['deployments.apps', 'services'] }), want: 'pass' },
  { name: 'synced resource absent', plugin: 'APICompatibility', cluster: cluster('x', { synced: ['services'] }), want: 'APINotSynced' },
  { name: 'no syncedResources reported', plugin: 'APICompatibility', cluster: cluster('x'), want: 'pass' },
  // capacity (Duplicated 3 × 1 cpu / 1Gi)
  { name: 'fits', plugin: 'Capacity', cluster: cluster('x', { allocatable: { cpu: '4', memory: '8Gi', pods: '10' }, allocated: { cpu: '1' } }), want: 'pass' },
  { name: 'cpu short', plugin: 'Capacity', cluster: cluster('x', { allocatable: { cpu: '4', memory: '8Gi', pods: '10' }, allocated: { cpu: '1500m' } }), want: 'InsufficientCPU' },
  { name: 'memory short', plugin: 'Capacity', cluster: cluster('x', { allocatable: { cpu: '4', memory: '2Gi', pods: '10' } }), want: 'InsufficientMemory' },
  { name: 'pods short', plugin: 'Capacity', cluster: cluster('x', { allocatable: { cpu: '4', memory: '8Gi', pods: '10' }, allocated: { pods: '8' } }), want: 'InsufficientPods' },
  { name: 'own replicas are given back', plugin: 'Capacity', cluster: cluster('x', { allocatable: { cpu: '4', memory: '8Gi', pods: '10' }, allocated: { cpu: '4', memory: '3Gi', pods: '3' } }), previous: true, want: 'pass' },
  { name: 'Divided needs room for one replica', plugin: 'Capacity', spec: { replicaScheduling: { type: 'Divided' } }, cluster: cluster('x', { allocatable: { cpu: '1', memory: '8Gi' } }), want: 'pass', verdictOnly: true },
  { name: 'unreported capacity never blocks', plugin: 'Capacity', cluster: { metadata: { name: 'x' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, want: 'pass' },
  // topology
  { name: 'topology label present', plugin: 'SpreadConstraint', spec: { spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region' }] }, cluster: cluster('x', { labels: { 'topology.kubernetes.io/region': 'eu' } }), want: 'pass' },
  { name: 'topology label missing', plugin: 'SpreadConstraint', spec: { spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region' }] }, cluster: cluster('x'), want: 'MissingTopologyLabel' },
];

for (const row of rows) {
  t.test(`${row.plugin}: ${row.name}`, async (t) => {
    const d = run(row.spec ?? {}, [row.cluster], {
      workload: row.workload ?? deployment(3),
      previous: row.previous ? { clusters: [{ clusterName: 'x', replicas: 3 }] } : undefined,
    });
    const v = verdict(d, 'x', row.plugin);
    t.ok(v, 'filter ran and was recorded');
    if (row.want === 'pass') {
      t.equal(v!.passed, true, v!.message ?? "passed");
      t.notOk(v!.retained);
      if (!row.verdictOnly) t.equal(d.clusters.length, 1);
    } else if (row.want === 'retained') {
      t.equal(v!.passed, true);
      t.equal(v!.retained, true);
      t.equal(d.clusters[0]?.reason, 'Retained');
      t.equal(d.retained.length, 1);
    } else {
      t.equal(v!.passed, false);
      t.equal(v!.reason, row.want, v!.message ?? row.want);
      t.equal(d.clusters.length, 0);
      t.equal(d.status, 'Unschedulable');
      if (row.previous) t.equal(d.evictions[0]?.reason, row.want, 'previous cluster is vacated');
    }
  });
}

t.test('failing rule message is what users read', async (t) => {
  const d = run({ rules: [{ expression: "cluster.spec.location == 'eu-1'", message: 'must run in the EU' }] }, [cluster('a', { location: 'us' }), cluster('b', { location: 'us' })]);
  t.equal(verdict(d, 'a', 'Rules')?.message, 'must run in the EU');
  t.equal(d.unschedulable?.message, '0/2 clusters are available: 2 must run in the EU.');
});

t.test('disabled filters are not recorded', async (t) => {
  const d = run({}, [cluster('a')]);
  t.same(d.candidates[0].filters.map((f) => f.plugin), ['Ready', 'Unschedulable', 'Eviction', 'TaintToleration', 'APICompatibility', 'Capacity']);
});

t.test('every filter records a verdict even after one fails', async (t) => {
  const d = run({}, [cluster('a', { ready: false, unschedulable: true })]);
  const f = d.candidates[0].filters;
  t.same(f.filter((v) => !v.passed).map((v) => v.reason), ['NotReady', 'Cordoned']);
  t.match(d.unschedulable?.message, /1 NotReady\.$/, 'counted once, under the first failure');
});

t.test('without a CEL evaluator an expression fails with CELError, not a crash', async (t) => {
  const d = run({ clusterSelector: { expression: 'true' } }, [cluster('a')], { options: {} });
  t.equal(verdict(d, 'a', 'ClusterSelector')?.reason, 'CELError');
});
