/**
 * Each scorer in isolation (Exact mode with only that scorer), then the modes, weights, aliases,
 * numberOfClusters and deterministic ties.
 */
import t from 'tap';
import type { ClusterRegistration, Decision } from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';
import { cluster, deployment, run } from './fixtures.js';

const REGION = 'topology.kubernetes.io/region';

function scores(d: Decision, plugin: string): Record<string, number | undefined> {
  return Object.fromEntries(d.candidates.map((c) => [c.clusterName, c.scores.find((s) => s.plugin === plugin)?.score]));
}

function only(name: string, clusters: ClusterRegistration[], more: Partial<ScheduleInput> = {}): Decision {
  return run({ prioritizers: { mode: 'Exact', configurations: [{ name, weight: 1 }] } }, clusters, more);
}

const cap = (cpu: string, memory: string, usedCpu: string, usedMem: string) => ({ allocatable: { cpu, memory, pods: '100' }, allocated: { cpu: usedCpu, memory: usedMem } });

t.test('LeastAllocated: most room left after placing wins; unreported scores 0', async (t) => {
  const d = only('LeastAllocated', [
    cluster('empty', cap('10', '10Gi', '0', '0')),
    cluster('half', cap('10', '10Gi', '5', '5Gi')),
    { metadata: { name: 'unknown' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
  ], { workload: deployment(1, '1', '1Gi') });
  // empty: (1 − 0.1) = 90; half: (1 − 0.6) = 40
  t.same(scores(d, 'LeastAllocated'), { empty: 90, half: 40, unknown: 0 });
  t.equal(d.clusters[0].clusterName, 'empty');
});

t.test('LeastLoaded is an alias of LeastAllocated', async (t) => {
  const d = only('LeastLoaded', [cluster('a', cap('10', '10Gi', '0', '0'))], { workload: deployment(1) });
  t.equal(scores(d, 'LeastAllocated').a, 90);
});

t.test('BalancedAllocation: even cpu/memory use wins', async (t) => {
  const d = only('BalancedAllocation', [
    cluster('even', cap('10', '10Gi', '4', '4Gi')),
    cluster('skewed', cap('10', '10Gi', '8', '0')),
  ], { workload: deployment(1, '1', '1Gi') });
  // even: 0.5/0.5 → 100; skewed: 0.9/0.1 → (1 − 0.4) = 60
  t.same(scores(d, 'BalancedAllocation'), { even: 100, skewed: 60 });
});

t.test('Balanced is an alias of BalancedAllocation', async (t) => {
  const d = only('Balanced', [cluster('a')]);
  t.ok(scores(d, 'BalancedAllocation').a !== undefined);
});

t.test('Balance (and RoundRobin): fewer existing placements score higher', async (t) => {
  const clusters = [cluster('a'), cluster('b'), cluster('c')];
  const placementCounts = { a: 10, b: 5 };
  for (const name of ['Balance', 'RoundRobin']) {
    const d = only(name, clusters, { placementCounts });
    t.same(scores(d, 'Balance'), { a: 0, b: 50, c: 100 }, name);
  }
  t.same(scores(only('Balance', clusters), 'Balance'), { a: 100, b: 100, c: 100 }, 'no counts: all equal');
});

t.test('Steady: current clusters score 100', async (t) => {
  const d = only('Steady', [cluster('a'), cluster('b')], { previous: { clusters: [{ clusterName: 'b', replicas: 3 }] } });
  t.same(scores(d, 'Steady'), { a: 0, b: 100 });
});

t.test('Locality (and LocationAware): previous location 100, same region 50; preferred locations', async (t) => {
  const clusters = [
    cluster('here', { location: 'fra-1', labels: { [REGION]: 'eu' } }),
    cluster('near', { location: 'ams-1', labels: { [REGION]: 'eu' } }),
    cluster('far', { location: 'nyc-1', labels: { [REGION]: 'us' } }),
  ];
  const prev = { clusters: [{ clusterName: 'here', replicas: 3 }] };
  t.same(scores(only('Locality', clusters, { previous: prev }), 'Locality'), { here: 100, near: 50, far: 0 });
  t.same(scores(only('LocationAware', clusters, { previous: prev }), 'Locality'), { here: 100, near: 50, far: 0 });
  const pref = only('Locality', clusters, { options: { preferredLocations: ['us'], celCompiler: undefined } });
  t.same(scores(pref, 'Locality'), { here: 0, near: 0, far: 100 }, 'a preferred region');
});

t.test('Random: deterministic per seed, independent of input order', async (t) => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const one = scores(only('Random', names.map((n) => cluster(n))), 'Random');
  const two = scores(only('Random', [...names].reverse().map((n) => cluster(n))), 'Random');
  t.same(one, two);
  for (const v of Object.values(one)) t.ok(v! >= 0 && v! <= 100);
  const other = scores(only('Random', names.map((n) => cluster(n)), { options: { randomSeed: 'another-workload' } }), 'Random');
  t.not(JSON.stringify(one), JSON.stringify(other), 'another seed, another order');
});

t.test('TaintToleration: PreferNoSchedule is a penalty, tolerated ones are not', async (t) => {
  const clusters = [
    cluster('clean'),
    cluster('one', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }),
    cluster('two', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }, { key: 'old', effect: 'PreferNoSchedule' }] }),
  ];
  const d = run({}, clusters);
  t.same(scores(d, 'TaintToleration'), { clean: 100, one: 50, two: 0 });
  t.same(d.clusters.map((c) => c.clusterName), ['clean', 'one', 'two'], 'still placed, just ranked lower');
  const tolerated = run({ tolerations: [{ key: 'spot', operator: 'Exists' }] }, clusters);
  t.same(scores(tolerated, 'TaintToleration'), { clean: 100, one: 100, two: 0 });
});

t.test('modes: Additive keeps the defaults, Exact only the listed (plus the taint penalty)', async (t) => {
  const plugins = (d: Decision) => d.candidates[0].scores.map((s) => `${s.plugin}:${s.weight}`);
  t.same(plugins(run({}, [cluster('a')])), ['LeastAllocated:1', 'BalancedAllocation:1', 'Balance:1', 'Steady:1', 'TaintToleration:1']);
  t.same(plugins(run({ prioritizers: { mode: 'Additive', configurations: [{ name: 'Steady', weight: 3 }, { name: 'Locality', weight: 2 }, { name: 'Balance', weight: 0 }] } }, [cluster('a')])),
    ['LeastAllocated:1', 'BalancedAllocation:1', 'Steady:3', 'Locality:2', 'TaintToleration:1']);
  t.same(plugins(run({ prioritizers: { mode: 'Exact', configurations: [{ name: 'Random', weight: 2 }] } }, [cluster('a')])), ['Random:2', 'TaintToleration:1']);
  t.same(plugins(run({ prioritizers: { mode: 'Exact', configurations: [{ name: 'Random' }, { name: 'TaintToleration', weight: 0 }] } }, [cluster('a')])), ['Random:1']);
});

t.test('unknown prioritizers are warnings, not failures', async (t) => {
  const d = run({ prioritizers: { configurations: [{ name: 'Telepathy', weight: 5 }] } }, [cluster('a')]);
  t.equal(d.status, 'Scheduled');
  t.match(d.warnings, [/unknown prioritizer "Telepathy"/]);
});

t.test('total is Σ score × weight, and decides the ranking', async (t) => {
  const d = run({ numberOfClusters: 1, prioritizers: { mode: 'Exact', configurations: [{ name: 'Steady', weight: 3 }, { name: 'Balance', weight: 2 }] } },
    [cluster('a'), cluster('b')], { previous: { clusters: [{ clusterName: 'a', replicas: 3 }] }, placementCounts: { a: 4, b: 0 } });
  const tot = Object.fromEntries(d.candidates.map((c) => [c.clusterName, c.total]));
  // a: 3·100 + 2·0 + 100 (taint) = 400; b: 0 + 2·100 + 100 = 300
  t.same(tot, { a: 400, b: 300 });
  t.same(d.clusters.map((c) => [c.clusterName, c.score]), [['a', 400]]);
});

t.test('numberOfClusters takes the top N; equal scores break ties by name', async (t) => {
  const names = ['delta', 'alpha', 'charlie', 'bravo', 'echo'];
  const d = run({ numberOfClusters: 3 }, names.map((n) => cluster(n)));
  t.same(d.clusters.map((c) => c.clusterName), ['alpha', 'bravo', 'charlie']);
  t.same(d.candidates.filter((c) => c.selected).map((c) => c.clusterName), ['alpha', 'bravo', 'charlie']);
  t.same(d.evictions, []);
});

t.test('more clusters asked than feasible: PartiallyScheduled with the reason', async (t) => {
  const d = run({ numberOfClusters: 3 }, [cluster('a'), cluster('b', { ready: false })]);
  t.equal(d.status, 'PartiallyScheduled');
  t.equal(d.unschedulable?.reason, 'NotEnoughClusters');
  t.equal(d.unschedulable?.message, 'selected 1 of 3 requested clusters; 1/2 clusters are available: 1 NotReady.');
});
