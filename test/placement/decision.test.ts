/** The decision as a whole: evictions, retentions, explanations, determinism, input validation. */
import t from 'tap';
import { schedule } from '../../src/placement/index.js';
import { ago, celCompiler, cluster, deployment, NOW, run, split } from './fixtures.js';

const prev = (...names: string[]) => ({ clusters: names.map((clusterName) => ({ clusterName, replicas: 3 })) });

t.test('evictions: NoExecute, drain, deleted cluster, not selected; each with its reason', async (t) => {
  const d = run({ numberOfClusters: 1, failover: { purgeMode: 'Immediately' } }, [
    cluster('keep'),
    cluster('noexec', { taints: [{ key: 'broken', effect: 'NoExecute', timeAdded: ago(10) }] }),
    cluster('drained', { evictAfter: ago(5) }),
    cluster('spare'),
  ], { previous: prev('keep', 'noexec', 'drained', 'gone', 'spare') });
  t.same(d.clusters.map((c) => c.clusterName), ['keep']);
  t.same(d.evictions.map((e) => [e.clusterName, e.reason, e.purgeMode]), [
    ['drained', 'Evicting', 'Immediately'],
    ['gone', 'ClusterNotFound', 'Immediately'],
    ['noexec', 'UntoleratedTaint', 'Immediately'],
    ['spare', 'NotSelected', 'Immediately'],
  ]);
});

t.test('when nothing can be scheduled, only clusters that must be vacated are evicted', async (t) => {
  const d = run({ numberOfClusters: 2, spreadConstraints: [{ topologyKey: 'r', minGroups: 5 }] }, [
    cluster('a', { labels: { r: 'x' } }),
    cluster('b', { labels: { r: 'y' }, taints: [{ key: 'k', effect: 'NoExecute' }] }),
  ], { previous: prev('a', 'b') });
  t.equal(d.status, 'Unschedulable');
  t.same(d.evictions.map((e) => e.clusterName), ['b'], 'a stays where it is until a decision can be made');
});

t.test('NotReady within the grace period is retained, then evicted', async (t) => {
  const spec = { failover: { tolerationSeconds: 120 } };
  const sick = (since: number) => [cluster('a'), cluster('b', { ready: false, readySince: ago(since) })];
  const early = run(spec, sick(60), { previous: prev('b') });
  t.same(split(early), { a: 3, b: 3 });
  t.equal(early.retained[0].reason, 'NotReadyWithinToleration');
  t.match(early.retained[0].message, 'kept for 60s more');
  const late = run(spec, sick(120), { previous: prev('b') });
  t.same(split(late), { a: 3 });
  t.same(late.evictions.map((e) => e.reason), ['NotReady']);
});

t.test('tolerationSeconds counts from the taint timeAdded using now', async (t) => {
  const spec = { tolerations: [{ key: 'maint', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 }] };
  const tainted = [cluster('a', { taints: [{ key: 'maint', effect: 'NoExecute', timeAdded: '2026-01-01T11:56:00Z' }] })];
  const at = (iso: string) => schedule({ placement: { spec }, workload: deployment(1), clusters: tainted, now: iso, previous: prev('a'), options: { celCompiler } });
  t.same(split(at('2026-01-01T12:00:59Z')), { a: 1 }, '4m59s after: tolerated');
  const after = at('2026-01-01T12:01:00Z');
  t.same(split(after), {}, '5m after: expired');
  t.equal(after.evictions[0].reason, 'TolerationExpired');
  t.equal(after.evictions[0].message, 'toleration of taint {maint:NoExecute} expired at 2026-01-01T12:01:00.000Z');
  t.same(split(at('2026-01-01T12:00:59.999+00:00')), { a: 1 }, 'now as RFC3339 with offset');
  t.same(split(schedule({ placement: { spec }, workload: deployment(1), clusters: tainted, now: new Date('2026-01-01T12:02:00Z'), previous: prev('a') })), {}, 'now as a Date');
});

t.test('the same input in any order gives the same decision', async (t) => {
  const clusters = Array.from({ length: 12 }, (_, i) => cluster(`c${i}`, {
    labels: { 'topology.kubernetes.io/region': `r${i % 3}` },
    allocatable: { cpu: `${4 + (i % 5)}`, memory: '64Gi', pods: '110' },
    allocated: { cpu: `${i % 4}`, memory: `${i}Gi` },
  }));
  const spec = { numberOfClusters: 5, spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region', maxSkew: 1 }], replicaScheduling: { type: 'Divided' as const, weights: { dynamic: 'AvailableReplicas' as const } } };
  const a = run(spec, clusters, { workload: deployment(11) });
  const b = run(spec, [...clusters].reverse(), { workload: deployment(11) });
  const c = run(spec, [...clusters.slice(5), ...clusters.slice(0, 5)], { workload: deployment(11) });
  t.same(b, a);
  t.same(c, a);
});

t.test('decision explains every cluster: each filter verdict and each score', async (t) => {
  const d = run({}, [cluster('a'), cluster('b', { ready: false })]);
  const a = d.candidates[0];
  t.equal(a.feasible, true);
  t.equal(a.selected, true);
  t.ok(a.filters.every((f) => f.passed));
  t.equal(a.scores.length, 5);
  t.equal(a.total, a.scores.reduce((s, x) => s + x.score * x.weight, 0));
  const b = d.candidates[1];
  t.equal(b.feasible, false);
  t.same(b.scores, [], 'infeasible clusters are not scored');
  t.equal(b.total, 0);
  t.same(d.clusters[0], { clusterName: 'a', clusterKey: 'key-a', replicas: 3, score: a.total, reason: 'Selected' });
});

t.test('Unschedulable message counts each cluster once, most common first', async (t) => {
  const d = run({}, [
    cluster('a', { ready: false }),
    cluster('b', { ready: false }),
    cluster('c', { allocatable: { cpu: '1', memory: '64Gi', pods: '10' } }),
    cluster('d', { allocatable: { cpu: '1', memory: '64Gi', pods: '10' } }),
    cluster('e', { allocatable: { cpu: '1', memory: '64Gi', pods: '10' } }),
  ]);
  t.equal(d.unschedulable?.message, '0/5 clusters are available: 3 Insufficient cpu, 2 NotReady.');
  t.equal(d.unschedulable?.reason, 'NoFeasibleClusters');
});

t.test('no clusters at all', async (t) => {
  const d = run({}, []);
  t.same(d.unschedulable, { reason: 'NoClusters', message: '0/0 clusters are available: no ClusterRegistrations.' });
});

t.test('workloadSelector mismatch is a clear Unschedulable', async (t) => {
  const d = run({ workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'StatefulSet' }] } }, [cluster('a')], { previous: prev('a') });
  t.equal(d.unschedulable?.reason, 'WorkloadNotSelected');
  t.equal(d.unschedulable?.message, 'workload type Deployment.apps is not in workloadSelector.workloadTypes');
  t.same(d.evictions.map((e) => e.clusterName), ['a']);
  const ok = run({ workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], names: ['web'] } }, [cluster('a')]);
  t.equal(ok.status, 'Scheduled');
});

t.test('duplicate cluster names are warned about and counted once', async (t) => {
  const d = run({}, [cluster('a'), cluster('a')]);
  t.equal(d.candidates.length, 1);
  t.match(d.warnings, [/duplicate cluster name "a"/]);
});

t.test('invalid now is rejected loudly', async (t) => {
  t.throws(() => schedule({ placement: { spec: {} }, workload: deployment(1), clusters: [], now: 'yesterday' }), /invalid time/);
  t.equal(NOW, Date.parse('2026-01-01T12:00:00Z'));
});

t.test('the CEL program is compiled once per call, not once per cluster', async (t) => {
  let compiles = 0;
  const counting = (e: string) => { compiles++; return celCompiler(e); };
  const clusters = Array.from({ length: 50 }, (_, i) => cluster(`c${i}`, { labels: { n: `${i}` } }));
  const d = schedule({
    placement: { spec: { clusterSelector: { expression: "cluster.metadata.labels['n'] != '7'" }, rules: [{ expression: 'true' }] } },
    workload: deployment(1), clusters, now: NOW, options: { celCompiler: counting },
  });
  t.equal(compiles, 2);
  t.equal(d.clusters.length, 49);
});

t.test('celEvaluator (per call) works too', async (t) => {
  const seen: string[] = [];
  const d = schedule({
    placement: { spec: { rules: [{ expression: 'cluster-is-a', message: 'only a' }] } },
    workload: deployment(1), clusters: [cluster('a'), cluster('b')], now: NOW,
    options: { celEvaluator: (e, vars) => { seen.push(e); return (vars.cluster as { metadata: { name: string } }).metadata.name === 'a'; } },
  });
  t.same(split(d), { a: 1 });
  t.equal(seen.length, 2);
});
