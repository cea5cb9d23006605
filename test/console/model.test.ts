/**
 * The console's pure model: cluster health, heartbeat age, capacity use, cordon/drain state, the
 * fleet map's grouping, a workload's per-cluster rows, sorting, and the explain/rollback model it
 * shares with tmcctl.
 */
import t from 'tap';
import type { ClusterRegistration, PlacementDecision, WorkloadPlacement } from '../../src/apis/tmc/index.js';
import { encodeEvaluation } from '../../src/apis/tmc/evaluation.js';
import { clusterList, decisionsFor, explainDecision, pinPatch } from '../../src/apis/tmc/explain.js';
import { capacityUsage, clusterHealth, formatAge, heartbeatAgeSeconds, region, scheduling } from '../../src/console/model/clusters.js';
import { fleetMap } from '../../src/console/model/fleet.js';
import { clusterRows, placementOf } from '../../src/console/model/workloads.js';
import { isWorkspacePath, listQuery, resourcePath, CLUSTERS, PLACEMENTS, WORKLOAD_KINDS } from '../../src/console/model/api-paths.js';
import { sortRows } from '../../src/console/model/sort.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function cluster(name: string, o: { ready?: 'True' | 'False' | 'Unknown'; region?: string; key?: string; spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}): ClusterRegistration {
  return {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration',
    metadata: { name, labels: o.region ? { 'topology.kubernetes.io/region': o.region } : {} },
    spec: { ...o.spec },
    status: {
      clusterKey: o.key,
      conditions: o.ready ? [{ type: 'Ready', status: o.ready, reason: o.ready === 'True' ? 'Healthy' : 'HeartbeatMissed', message: '', lastTransitionTime: '2026-01-01T11:59:00Z' }] : undefined,
      ...o.status,
    },
  } as ClusterRegistration;
}

t.test('health, heartbeat age and scheduling state', async (t) => {
  t.equal(clusterHealth(cluster('a', { ready: 'True' })).health, 'Ready');
  t.equal(clusterHealth(cluster('a', { ready: 'False' })).health, 'NotReady');
  t.equal(clusterHealth(cluster('a', { ready: 'Unknown' })).health, 'Unknown');
  t.equal(clusterHealth(cluster('a')).reason, 'NoStatus', 'never checked');
  t.equal(heartbeatAgeSeconds(cluster('a', { status: { lastHeartbeatTime: '2026-01-01T11:59:55Z' } }), NOW), 5);
  t.equal(heartbeatAgeSeconds(cluster('a'), NOW), undefined);
  t.same([5, 130, 7300, 200000, undefined].map(formatAge), ['5s', '2m', '2h', '2d', 'never']);
  t.equal(scheduling(cluster('a'), NOW), 'Schedulable');
  t.equal(scheduling(cluster('a', { spec: { unschedulable: true } }), NOW), 'Cordoned');
  t.equal(scheduling(cluster('a', { spec: { unschedulable: true, evictAfter: '2026-01-01T13:00:00Z' } }), NOW), 'Draining');
  t.equal(scheduling(cluster('a', { spec: { unschedulable: true, evictAfter: '2026-01-01T11:00:00Z' } }), NOW), 'Drained');
  t.equal(region(cluster('a', { region: 'eu' })), 'eu');
  t.equal(region(cluster('a', { spec: { location: 'edge' } })), 'edge', 'falls back to spec.location');
});

t.test('capacity bars: allocated against allocatable, in units a person reads', async (t) => {
  const c = cluster('a', { status: { allocatable: { cpu: '8', memory: '32Gi', pods: '220' }, allocated: { cpu: '1500m', memory: '512Mi', pods: 2 } } });
  t.same(capacityUsage(c).map((u) => [u.resource, u.percent, u.text]), [['cpu', 19, '1.5 / 8'], ['memory', 2, '512Mi / 32Gi'], ['pods', 1, '2 / 220']]);
  t.same(capacityUsage(cluster('a', { status: { capacity: { cpu: '4' } } })).map((u) => u.text), ['0 / 4'], 'capacity when no allocatable, nothing allocated');
  t.equal(capacityUsage(cluster('a', { status: { allocatable: { cpu: '1' }, allocated: { cpu: '3' } } }))[0].percent, 100, 'overcommit caps at 100%');
  t.same(capacityUsage(cluster('a', { status: { allocatable: { cpu: 'lots' } } })), [], 'a malformed quantity is left out, not a crash');
});

const placement = (name: string, placed: Array<{ name: string; clusters: Array<{ clusterName: string; state?: 'Sync' | 'Pending'; replicas?: number }> }>): WorkloadPlacement => ({
  apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name, namespace: 'default' }, spec: {},
  status: { placedWorkloads: placed.map((p) => ({ workloadRef: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name: p.name }, clusters: p.clusters })) },
});

t.test('fleet map: regions sorted, clusters with their workloads, empty clusters kept', async (t) => {
  const regions = fleetMap(
    [cluster('us-1', { region: 'us' }), cluster('eu-2', { region: 'eu' }), cluster('eu-1', { region: 'eu' })],
    [placement('p', [{ name: 'web', clusters: [{ clusterName: 'eu-1', state: 'Sync', replicas: 2 }, { clusterName: 'eu-2', state: 'Sync', replicas: 2 }] }, { name: 'api', clusters: [{ clusterName: 'eu-1' }] }])]);
  t.same(regions.map((r) => [r.region, r.clusters.map((c) => [c.cluster.metadata.name, c.workloads.map((w) => w.ref.name)])]),
    [['eu', [['eu-1', ['api', 'web']], ['eu-2', ['web']]]], ['us', [['us-1', []]]]]);
});

t.test('a workload: its placement and one row per cluster with health and observed status', async (t) => {
  const p = placement('p', [{ name: 'web', clusters: [{ clusterName: 'b', state: 'Sync', replicas: 2 }, { clusterName: 'a', state: 'Pending', replicas: 2 }, { clusterName: 'gone' }] }]);
  const key = { namespace: 'default', group: 'apps', kind: 'Deployment', name: 'web' };
  const found = placementOf([placement('other', []), p], key);
  t.equal(found?.placement.metadata.name, 'p');
  t.notOk(placementOf([p], { ...key, kind: 'StatefulSet' }), 'kind must match');
  const workload = { metadata: { annotations: { 'status.tmc.kcp.io/KB': JSON.stringify({ replicas: 2, readyReplicas: 1 }), 'status.tmc.kcp.io/KA': '{not json' } } };
  const rows = clusterRows(found!.placed, [cluster('a', { ready: 'True', key: 'KA' }), cluster('b', { ready: 'False', key: 'KB' })], workload);
  t.same(rows.map((r) => [r.clusterName, r.state, r.health, r.observed?.readyReplicas]), [['a', 'Pending', 'Ready', undefined], ['b', 'Sync', 'NotReady', 1], ['gone', 'Pending', 'Gone', undefined]]);
});

t.test('sorting: numbers as numbers, blanks last both ways', async (t) => {
  const rows = [{ v: '82×1' }, { v: '-' }, { v: '100×1' }, { v: '9×1' }];
  t.same(sortRows(rows, (r) => r.v, 'ascending').map((r) => r.v), ['9×1', '82×1', '100×1', '-']);
  t.same(sortRows(rows, (r) => r.v, 'descending').map((r) => r.v), ['100×1', '82×1', '9×1', '-']);
  t.same(sortRows([{ v: 'pass' }, { v: 'FAIL (NotReady)' }], (r) => r.v, 'ascending').map((r) => r.v), ['FAIL (NotReady)', 'pass']);
});

t.test('API paths and queries', async (t) => {
  t.equal(resourcePath('root:demo', CLUSTERS), '/clusters/root:demo/apis/tmc.kcp.io/v1alpha1/clusterregistrations');
  t.equal(resourcePath('root:demo', PLACEMENTS, 'default', 'web'), '/clusters/root:demo/apis/tmc.kcp.io/v1alpha1/namespaces/default/workloadplacements/web');
  t.equal(resourcePath('root', WORKLOAD_KINDS.Service, 'ns'), '/clusters/root/api/v1/namespaces/ns/services');
  t.equal(listQuery({ labelSelector: 'a=b', watch: true, resourceVersion: '7', timeoutSeconds: 240 }), '?labelSelector=a%3Db&watch=true&allowWatchBookmarks=true&resourceVersion=7&timeoutSeconds=240');
  t.equal(listQuery({}), '');
  t.ok(isWorkspacePath('root:team-a'));
  for (const bad of ['', 'Root', 'root:', 'root::a', 'root/a', '../x']) t.notOk(isWorkspacePath(bad), bad);
});

t.test('explain and rollback: the model tmcctl and the console share', async (t) => {
  const d: PlacementDecision = {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'PlacementDecision', metadata: { name: 'web-1' },
    spec: {
      placementName: 'web', revision: 1, selected: [{ clusterName: 'a', replicas: 2 }],
      evaluation: encodeEvaluation([
        { clusterName: 'a', filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 90, weight: 1 }], total: 90 },
        { clusterName: 'b', filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 50, weight: 1 }], total: 50 },
        { clusterName: 'c', filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'down' }], scores: [], total: 0 },
      ]),
    },
  };
  const e = explainDecision(d);
  t.same(e.filters, ['Ready']);
  t.same(e.scorers, ['LeastAllocated']);
  t.same(e.candidates.map((c) => [c.row.clusterName, c.result, c.verdicts[0], c.scores[0], c.total, c.replicas]),
    [['a', 'selected', 'pass', '90×1', 90, 2], ['b', 'not chosen', 'pass', '50×1', 50, undefined], ['c', 'rejected', 'FAIL (NotReady)', '-', undefined, undefined]]);
  t.match(e.candidates[1].whyNot, /scored 50, below the lowest chosen \(90\)/);
  t.equal(e.candidates[2].whyNot, 'Ready: NotReady — down');
  t.same(pinPatch(1), { spec: { pinnedRevision: 1 } });
  t.same(pinPatch(null), { spec: { pinnedRevision: null } });
  const d2 = { ...d, metadata: { name: 'web-2' }, spec: { ...d.spec, revision: 2 } };
  const foreign = { ...d, spec: { ...d.spec, placementName: 'api' } };
  t.same(decisionsFor([d2, foreign, d], 'web').map((x) => x.spec.revision), [1, 2]);
  t.equal(clusterList(d.spec.selected), 'a(2)');
});
