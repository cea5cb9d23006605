import t from 'tap';
import { aggregateStatus, type ClusterStatus } from '../../src/syncer/aggregate/aggregate.js';
import { clusterStatusesOf, reportedStatus } from '../../src/syncer/status/cluster-status.js';
import { syncedCondition, SyncFailure } from '../../src/syncer/conditions.js';
import type { KubeObject } from '../../src/client/types.js';

const synced = (status = 'True', reason = 'Synced') => ({ type: 'Synced', status, reason });
const cs = (key: string, status: Record<string, unknown>): ClusterStatus => ({ key, status: { conditions: [synced()], ...status } as ClusterStatus['status'] });
const cond = (out: Record<string, unknown>, type: string) => (out.conditions as Array<Record<string, string>> | undefined)?.find((c) => c.type === type);

interface Row { name: string; kind: string; generation?: number; clusters: ClusterStatus[]; expect: Record<string, unknown>; conditions?: Record<string, string> }

const rows: Row[] = [
  {
    name: 'deployment counters summed', kind: 'Deployment', generation: 4,
    clusters: [cs('a', { replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, observedGeneration: 4 }), cs('b', { replicas: 2, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2, unavailableReplicas: 1, observedGeneration: 4 })],
    expect: { replicas: 5, readyReplicas: 4, availableReplicas: 4, updatedReplicas: 5, unavailableReplicas: 1, observedGeneration: 4 },
  },
  {
    name: 'observedGeneration lags while one cluster lags', kind: 'StatefulSet', generation: 5,
    clusters: [cs('a', { replicas: 1, observedGeneration: 5 }), cs('b', { replicas: 1, observedGeneration: 4 })],
    expect: { replicas: 2, observedGeneration: 4 },
  },
  {
    name: 'observedGeneration absent when one cluster has not reported it', kind: 'Deployment', generation: 2,
    clusters: [cs('a', { replicas: 1, observedGeneration: 2 }), cs('b', { replicas: 1 })],
    expect: { replicas: 2 },
  },
  {
    name: 'daemonset number* fields summed, collisionCount not', kind: 'DaemonSet', generation: 1,
    clusters: [cs('a', { desiredNumberScheduled: 3, numberReady: 3, collisionCount: 1, observedGeneration: 1 }), cs('b', { desiredNumberScheduled: 2, numberReady: 1, observedGeneration: 1 })],
    expect: { desiredNumberScheduled: 5, numberReady: 4, observedGeneration: 1 },
  },
  {
    name: 'conditions merged True > False > Unknown', kind: 'Deployment',
    clusters: [
      cs('a', { conditions: [synced(), { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, { type: 'Progressing', status: 'Unknown' }] }),
      cs('b', { conditions: [synced(), { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'False', reason: 'Stuck' }] }),
    ],
    expect: {}, conditions: { Available: 'True', Progressing: 'False', Synced: 'True', 'Synced/a': 'True', 'Synced/b': 'True' },
  },
  {
    name: 'one failing cluster makes Synced False', kind: 'Deployment',
    clusters: [cs('a', {}), { key: 'b', status: { conditions: [{ type: 'Synced', status: 'False', reason: 'Conflict', message: 'exists' }] } }],
    expect: {}, conditions: { Synced: 'False', 'Synced/a': 'True', 'Synced/b': 'False' },
  },
  {
    name: 'a cluster that has not reported is Unknown', kind: 'Deployment',
    clusters: [cs('a', {}), { key: 'b', status: {} }],
    expect: {}, conditions: { Synced: 'Unknown', 'Synced/b': 'Unknown' },
  },
  {
    name: 'jobs: counts summed, Complete only when all complete', kind: 'Job',
    clusters: [
      cs('a', { succeeded: 1, active: 0, startTime: '2026-01-01T00:00:05Z', completionTime: '2026-01-01T00:01:00Z', conditions: [synced(), { type: 'Complete', status: 'True' }] }),
      cs('b', { succeeded: 0, active: 1, startTime: '2026-01-01T00:00:01Z' }),
    ],
    expect: { succeeded: 1, active: 1, startTime: '2026-01-01T00:00:01Z' }, conditions: { Complete: 'False' },
  },
  {
    name: 'jobs: all complete', kind: 'Job',
    clusters: [
      cs('a', { succeeded: 1, completionTime: '2026-01-01T00:01:00Z', conditions: [synced(), { type: 'Complete', status: 'True' }] }),
      cs('b', { succeeded: 1, completionTime: '2026-01-01T00:02:00Z', conditions: [synced(), { type: 'Complete', status: 'True' }] }),
    ],
    expect: { succeeded: 2, completionTime: '2026-01-01T00:02:00Z' }, conditions: { Complete: 'True' },
  },
  {
    name: 'jobs: any failed', kind: 'Job',
    clusters: [cs('a', { failed: 1, conditions: [synced(), { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }), cs('b', { succeeded: 1 })],
    expect: { failed: 1, succeeded: 1 }, conditions: { Failed: 'True' },
  },
  {
    name: 'services: load-balancer ingress union', kind: 'Service',
    clusters: [cs('a', { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } }), cs('b', { loadBalancer: { ingress: [{ ip: '1.1.1.1' }, { hostname: 'b.example' }] } })],
    expect: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }, { hostname: 'b.example' }] } },
  },
  {
    name: 'other kinds, one cluster: status promoted', kind: 'PersistentVolumeClaim',
    clusters: [cs('a', { phase: 'Bound', capacity: { storage: '1Gi' } })],
    expect: { phase: 'Bound', capacity: { storage: '1Gi' } },
  },
  {
    name: 'other kinds, several clusters: conditions only', kind: 'PersistentVolumeClaim',
    clusters: [cs('a', { phase: 'Bound' }), cs('b', { phase: 'Pending' })],
    expect: {},
  },
  {
    name: 'graceful failover: the old copy is not counted beside its replacement, and is named', kind: 'Deployment', generation: 2,
    clusters: [
      { ...cs('old', { replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 }), share: 3, old: 'NotReady: kept until the chosen clusters report the workload available (purgeMode Graceful)' },
      { ...cs('new', { replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, unavailableReplicas: 1, observedGeneration: 2 }), share: 3 },
    ],
    expect: { replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, unavailableReplicas: 1, observedGeneration: 2 },
    conditions: { OldCopies: 'True', 'Synced/old': 'True', 'Synced/new': 'True' },
  },
  {
    name: 'a copy being removed is old too; when every copy is old they are all counted', kind: 'Deployment',
    clusters: [{ ...cs('a', { replicas: 2, readyReplicas: 2 }), share: 2, old: 'being removed' }, { ...cs('b', { replicas: 1, readyReplicas: 1 }), share: 1, old: 'being removed' }],
    expect: { replicas: 3, readyReplicas: 3 },
  },
  {
    name: 'Duplicated: each cluster counts up to all replicas', kind: 'Deployment',
    clusters: [{ ...cs('a', { replicas: 2, readyReplicas: 2, availableReplicas: 2 }), share: 2 }, { ...cs('b', { replicas: 2, readyReplicas: 2, availableReplicas: 2 }), share: 2 }],
    expect: { replicas: 4, readyReplicas: 4, availableReplicas: 4 },
  },
  {
    name: 'Divided: a cluster still running its old, larger share counts only its new share', kind: 'Deployment',
    clusters: [{ ...cs('a', { replicas: 3, readyReplicas: 3, unavailableReplicas: 0 }), share: 1 }, { ...cs('b', { replicas: 2, readyReplicas: 2 }), share: 2 }],
    expect: { replicas: 3, readyReplicas: 3, unavailableReplicas: 0 },
  },
  {
    name: 'daemonsets: an old copy is left out, no share cap', kind: 'DaemonSet',
    clusters: [{ ...cs('a', { desiredNumberScheduled: 3, numberReady: 3 }), old: 'being removed' }, cs('b', { desiredNumberScheduled: 5, numberReady: 5 })],
    expect: { desiredNumberScheduled: 5, numberReady: 5 }, conditions: { OldCopies: 'True' },
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const out = aggregateStatus(row.kind, row.generation, row.clusters);
    const { conditions: _c, ...fields } = out;
    t.same(fields, row.expect);
    for (const [type, status] of Object.entries(row.conditions ?? {})) t.equal(cond(out, type)?.status, status, `${type}=${status}`);
    t.same(aggregateStatus(row.kind, row.generation, [...row.clusters].reverse()), out, 'independent of cluster order');
  });
}

t.test('no clusters, nothing reported', async (t) => {
  t.same(aggregateStatus('Deployment', 1, []), {});
});

t.test('per-cluster status: observedGeneration mapped to upstream, Synced condition kept stable', async (t) => {
  const down = { metadata: { name: 'w', generation: 7, annotations: { 'tmc.kcp.io/upstream-generation': '3' } }, status: { observedGeneration: 7, readyReplicas: 2 } } as unknown as KubeObject;
  const first = reportedStatus(down, syncedCondition(undefined, () => 't1'), undefined);
  t.equal(first.observedGeneration, 3, 'caught up with upstream generation 3');
  t.equal(first.readyReplicas, 2);
  const again = reportedStatus(down, syncedCondition(undefined, () => 't2'), first);
  t.same(again, first, 'an unchanged status is byte-identical (no write)');
  const failed = reportedStatus(down, syncedCondition(new SyncFailure('ApplyFailed', 'boom'), () => 't3'), first);
  t.match(failed.conditions, [{ type: 'Synced', status: 'False', reason: 'ApplyFailed', message: 'boom', lastTransitionTime: 't3' }]);
  const lagging = reportedStatus({ ...down, status: { observedGeneration: 6 } } as unknown as KubeObject, syncedCondition(undefined, () => 't'), undefined);
  t.equal(lagging.observedGeneration, 2, 'not caught up: one less');
});

t.test('clusterStatusesOf: Sync clusters plus reporting ones, sorted', async (t) => {
  const obj = { metadata: { name: 'x', labels: { 'state.tmc.kcp.io/b': 'Sync', 'state.tmc.kcp.io/c': 'Pending' }, annotations: { 'status.tmc.kcp.io/a': '{"replicas":1}', 'status.tmc.kcp.io/b': 'not json' } } } as KubeObject;
  t.same(clusterStatusesOf(obj), [{ key: 'a', status: { replicas: 1 } }, { key: 'b', status: {} }]);
});

t.test('clusterStatusesOf: each cluster\'s share and whether its copy is old', async (t) => {
  const obj = { metadata: { name: 'x', labels: { 'state.tmc.kcp.io/a': 'Sync', 'state.tmc.kcp.io/b': 'Sync', 'state.tmc.kcp.io/c': 'Sync' }, annotations: {
    'spec-diff.tmc.kcp.io/a': JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 1 }, { op: 'add', path: '/metadata/labels/x', value: 'y' }]),
    'failover.tmc.kcp.io/b': 'NotReady: kept',
    'deletion.tmc.kcp.io/c': '2026-01-01T00:00:00Z',
  } }, spec: { replicas: 4 } } as unknown as KubeObject;
  t.same(clusterStatusesOf(obj), [
    { key: 'a', status: {}, share: 1 },
    { key: 'b', status: {}, share: 4, old: 'NotReady: kept' },
    { key: 'c', status: {}, share: 4, old: 'being removed' },
  ]);
  const out = aggregateStatus('Deployment', 1, clusterStatusesOf(obj));
  t.match(cond(out, 'OldCopies')?.message, /b: 0\/0 ready \(NotReady: kept\); c: 0\/0 ready \(being removed\)/);
});
