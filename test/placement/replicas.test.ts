/**
 * Replica assignment: Duplicated, static weights (Webster), dynamic weights from available
 * replicas, Aggregated, steady scale up/down, capacity caps and deterministic remainders.
 */
import t from 'tap';
import { webster } from '../../src/placement/index.js';
import type { ClusterRegistration, ReplicaScheduling, WorkloadPlacementSpec } from '../../src/placement/types.js';
import { cluster, deployment, run, split } from './fixtures.js';

/** A cluster with room for exactly `n` replicas of a 1-cpu / 1Gi pod. */
const room = (name: string, n: number, labels?: Record<string, string>): ClusterRegistration =>
  cluster(name, { labels, allocatable: { cpu: `${n}`, memory: '1000Gi', pods: '1000' } });

const divided = (rs: Omit<ReplicaScheduling, 'type'> = {}, more: WorkloadPlacementSpec = {}): WorkloadPlacementSpec => ({
  replicaScheduling: { type: 'Divided', ...rs },
  ...more,
});

const staticWeights = (w: Record<string, number>) => ({
  divisionPreference: 'Weighted' as const,
  weights: { static: Object.entries(w).map(([name, weight]) => ({ clusterSelector: { clusterNames: [name] }, weight })) },
});

t.test('webster: table', async (t) => {
  const rows: Array<[number, number[], number[] | undefined, number[]]> = [
    [12, [1, 2, 3], undefined, [2, 4, 6]],
    [7, [1, 1, 1], undefined, [3, 2, 2]], // remainder to the earlier party
    [1, [1, 1], undefined, [1, 0]],
    [10, [0, 1], undefined, [0, 10]],
    [10, [1, 1], [2, Infinity], [2, 8]], // cap
    [5, [3, 2], [1, 1], [1, 1]], // caps exhausted: stops short
    [0, [1, 2], undefined, [0, 0]],
  ];
  for (const [total, w, caps, want] of rows) t.same(webster(total, w, caps), want, `${total} over ${w}${caps ? ` caps ${caps}` : ''}`);
});

t.test('webster is house-monotone: one more replica never takes one away', async (t) => {
  const w = [5, 3, 2, 7, 1];
  let prev = webster(0, w);
  for (let n = 1; n <= 60; n++) {
    const next = webster(n, w);
    t.ok(next.every((x, i) => x >= prev[i]), `n=${n}`);
    prev = next;
  }
});

t.test('Duplicated: every cluster runs spec.replicas', async (t) => {
  const d = run({}, [cluster('a'), cluster('b')], { workload: deployment(4) });
  t.same(split(d), { a: 4, b: 4 });
});

t.test('Divided, static weights 1:2:3, 12 replicas → 2/4/6', async (t) => {
  const d = run(divided(staticWeights({ a: 1, b: 2, c: 3 })), [cluster('a'), cluster('b'), cluster('c')], { workload: deployment(12) });
  t.same(split(d), { a: 2, b: 4, c: 6 });
});

t.test('static weights by label selector; the largest matching weight wins; unmatched clusters drop out', async (t) => {
  const spec = divided({
    weights: {
      static: [
        { clusterSelector: { labelSelector: { matchLabels: { tier: 'gold' } } }, weight: 3 },
        { clusterSelector: { labelSelector: { matchLabels: { env: 'prod' } } }, weight: 1 },
      ],
    },
  });
  const d = run(spec, [cluster('g', { labels: { tier: 'gold', env: 'prod' } }), cluster('p', { labels: { env: 'prod' } }), cluster('x')], { workload: deployment(8) });
  t.same(split(d), { g: 6, p: 2 });
});

t.test('static weights all zero: equal split', async (t) => {
  const d = run(divided(staticWeights({ nomatch: 5 })), [cluster('a'), cluster('b')], { workload: deployment(4) });
  t.same(split(d), { a: 2, b: 2 });
});

t.test('Weighted without weights: equal shares, remainder to the better-ranked cluster', async (t) => {
  const d = run(divided(), [cluster('a'), cluster('b'), cluster('c')], { workload: deployment(7) });
  t.same(split(d), { a: 3, b: 2, c: 2 });
});

t.test('dynamic weights = available replicas (6:12:18 → 2/4/6)', async (t) => {
  const d = run(divided({ weights: { dynamic: 'AvailableReplicas' } }), [room('a', 6), room('b', 12), room('c', 18)], { workload: deployment(12) });
  t.same(split(d), { a: 2, b: 4, c: 6 });
});

t.test('available replicas use the tightest of cpu, memory and pods', async (t) => {
  const tight = cluster('a', { allocatable: { cpu: '100', memory: '100Gi', pods: '2' } }); // pods: 2
  const d = run(divided({ weights: { dynamic: 'AvailableReplicas' } }), [tight, room('b', 6)], { workload: deployment(8) });
  t.same(split(d), { a: 2, b: 6 });
});

t.test('Aggregated: the fewest clusters that fit', async (t) => {
  const clusters = [room('a', 4), room('b', 10), room('c', 7)];
  t.same(split(run(divided({ divisionPreference: 'Aggregated' }), clusters, { workload: deployment(9) })), { b: 9 });
  t.same(split(run(divided({ divisionPreference: 'Aggregated' }), clusters, { workload: deployment(15) })), { b: 9, c: 6 });
});

t.test('Aggregated scale-up fills the clusters already used first', async (t) => {
  const clusters = [room('a', 4), room('b', 10), room('c', 7)];
  const d = run(divided({ divisionPreference: 'Aggregated' }), clusters, { workload: deployment(6), previous: { clusters: [{ clusterName: 'c', replicas: 3 }] } });
  // c already holds 3 and has room for 7 (own replicas given back): it takes the 3 extra.
  t.same(split(d), { c: 6 });
});

t.test('capacity caps a static split and the rest moves to clusters with room', async (t) => {
  const d = run(divided(staticWeights({ a: 1, b: 1 })), [room('a', 2), room('b', 100)], { workload: deployment(10) });
  t.same(split(d), { a: 2, b: 8 });
});

t.test('not enough room anywhere: Unschedulable with numbers', async (t) => {
  const d = run(divided({ weights: { dynamic: 'AvailableReplicas' } }), [room('a', 3), room('b', 4)], { workload: deployment(12) });
  t.equal(d.status, 'Unschedulable');
  t.equal(d.unschedulable?.reason, 'InsufficientCapacity');
  t.equal(d.unschedulable?.message, '12 replicas requested, only 7 fit on the 2 selected clusters; 2/2 clusters are available.');
  t.same(d.clusters, []);
});

t.test('Duplicated that fits nowhere names the resource', async (t) => {
  const d = run({}, [room('a', 2), room('b', 1), cluster('c', { ready: false })], { workload: deployment(3) });
  t.equal(d.unschedulable?.message, '0/3 clusters are available: 2 Insufficient cpu, 1 NotReady.');
  t.match(d.candidates[0].filters.find((f) => f.plugin === 'Capacity')?.message, 'needs 3 cpu for 3 replicas, 2 free');
});

// --- steady: minimal movement relative to the previous decision ---

const dyn = divided({ weights: { dynamic: 'AvailableReplicas' } });
const three = () => [room('a', 20), room('b', 20), room('c', 20)];
const prev = (r: Record<string, number>) => ({ clusters: Object.entries(r).map(([clusterName, replicas]) => ({ clusterName, replicas })) });
const moved = (from: Record<string, number>, to: Record<string, number | undefined>) => {
  let removed = 0;
  for (const [k, v] of Object.entries(from)) removed += Math.max(0, v - (to[k] ?? 0));
  return removed;
};

t.test('steady scale-up hands out only the delta', async (t) => {
  const before = { a: 5, b: 3, c: 1 };
  const d = run(dyn, three(), { workload: deployment(15), previous: prev(before) });
  const after = split(d);
  t.equal(moved(before, after), 0, 'nothing taken from anyone');
  t.equal(Object.values(after).reduce((s, x) => s! + x!, 0), 15);
});

t.test('steady scale-down removes in proportion to current shares', async (t) => {
  const before = { a: 8, b: 4, c: 4 };
  const d = run(dyn, three(), { workload: deployment(8), previous: prev(before) });
  t.same(split(d), { a: 4, b: 2, c: 2 });
  const after = split(d);
  for (const k of Object.keys(before)) t.ok((after[k] ?? 0) <= before[k as keyof typeof before], `${k} never grows on scale-down`);
});

t.test('same replicas, same clusters: nothing moves', async (t) => {
  const before = { a: 1, b: 7, c: 4 };
  t.same(split(run(dyn, three(), { workload: deployment(12), previous: prev(before) })), before);
});

t.test('a lost cluster: only its replicas move', async (t) => {
  const before = { a: 4, b: 4, c: 4 };
  const clusters = [room('a', 20), room('b', 20), cluster('c', { ready: false, readySince: new Date(0).toISOString(), allocatable: { cpu: '20', memory: '1000Gi', pods: '1000' } })];
  const d = run(dyn, clusters, { workload: deployment(12), previous: prev(before) });
  const after = split(d);
  t.same(Object.keys(after).sort(), ['a', 'b']);
  t.ok(after.a! >= 4 && after.b! >= 4, 'a and b keep theirs');
  t.equal(after.a! + after.b!, 12);
  t.same(d.evictions.map((e) => [e.clusterName, e.reason]), [['c', 'NotReady']]);
});

t.test('static weights scale up and down without moving replicas', async (t) => {
  const spec = divided(staticWeights({ a: 1, b: 2, c: 3 }));
  let before = split(run(spec, [cluster('a'), cluster('b'), cluster('c')], { workload: deployment(12) })) as Record<string, number>;
  for (const n of [13, 17, 30, 29, 20, 6]) {
    const after = split(run(spec, [cluster('a'), cluster('b'), cluster('c')], { workload: deployment(n), previous: prev(before) })) as Record<string, number>;
    const up = n >= Object.values(before).reduce((s, x) => s + x, 0);
    for (const k of ['a', 'b', 'c']) t.ok(up ? (after[k] ?? 0) >= (before[k] ?? 0) : (after[k] ?? 0) <= (before[k] ?? 0), `${k} ${up ? 'up' : 'down'} to ${n}`);
    before = after;
  }
});

t.test('a cordoned cluster keeps what it has but gets no more', async (t) => {
  const clusters = [room('a', 20), cluster('b', { unschedulable: true, allocatable: { cpu: '20', memory: '1000Gi', pods: '1000' } })];
  const d = run(dyn, clusters, { workload: deployment(10), previous: prev({ a: 2, b: 3 }) });
  t.same(split(d), { a: 7, b: 3 });
  t.same(d.retained, [{ clusterName: 'b', reason: 'Cordoned', message: 'cluster is cordoned (spec.unschedulable); kept because already placed here' }]);
  t.equal(d.clusters.find((c) => c.clusterName === 'b')?.reason, 'Retained');
  const down = run(dyn, clusters, { workload: deployment(4), previous: prev({ a: 2, b: 3 }) });
  t.ok(split(down).b! <= 3);
});

t.test('workloads without replicas carry no replica counts', async (t) => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: {} };
  const d = run({}, [cluster('a', { synced: ['services'] })], { workload: svc });
  t.same(d.clusters, [{ clusterName: 'a', clusterKey: 'key-a', score: d.candidates[0].total, reason: 'Selected' }]);
});
