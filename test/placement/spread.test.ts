/** spreadConstraints: maxSkew, minGroups, maxGroups by any topology label, alone and combined. */
import t from 'tap';
import type { ClusterRegistration, Decision, SpreadConstraint } from '../../src/placement/types.js';
import { cluster, run } from './fixtures.js';

const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const PROVIDER = 'tmc.kcp.io/provider';

/** clusters named <region>-<n>, `n` per region as given. */
function fleet(perRegion: Record<string, number>, extra: (region: string, i: number) => Record<string, string> = () => ({})): ClusterRegistration[] {
  const out: ClusterRegistration[] = [];
  for (const [region, n] of Object.entries(perRegion)) {
    for (let i = 0; i < n; i++) out.push(cluster(`${region}-${i}`, { labels: { [REGION]: region, ...extra(region, i) } }));
  }
  return out;
}

function perGroup(d: Decision, key: string, clusters: ClusterRegistration[]): Record<string, number> {
  const labels = new Map(clusters.map((c) => [c.metadata.name, c.metadata.labels ?? {}]));
  const out: Record<string, number> = {};
  for (const c of d.clusters) {
    const g = labels.get(c.clusterName)![key];
    out[g] = (out[g] ?? 0) + 1;
  }
  return out;
}

const spread = (n: number | undefined, ...spreadConstraints: SpreadConstraint[]) => ({ numberOfClusters: n, spreadConstraints });

t.test('region maxSkew 1 spreads evenly even though one region ranks best', async (t) => {
  const clusters = fleet({ a: 5, b: 5, c: 5 });
  const d = run(spread(6, { topologyKey: REGION, maxSkew: 1 }), clusters);
  t.equal(d.status, 'Scheduled');
  t.same(perGroup(d, REGION, clusters), { a: 2, b: 2, c: 2 });
});

t.test('maxSkew below 1 is read as 1 (Kubernetes rejects 0)', async (t) => {
  const clusters = fleet({ a: 2, b: 2 });
  const d = run(spread(4, { topologyKey: REGION, maxSkew: 0 }), clusters);
  t.same(perGroup(d, REGION, clusters), { a: 2, b: 2 });
});

t.test('maxSkew with an uneven fleet: the small region caps the others', async (t) => {
  const clusters = fleet({ a: 5, b: 1 });
  const d = run(spread(4, { topologyKey: REGION, maxSkew: 1 }), clusters);
  t.equal(d.status, 'PartiallyScheduled');
  t.same(perGroup(d, REGION, clusters), { a: 2, b: 1 });
  t.match(d.unschedulable?.message, /^selected 3 of 4 requested clusters within spread constraints \(topology.kubernetes.io\/region maxSkew 1\)/);
});

t.test('maxSkew 2 allows more imbalance', async (t) => {
  const clusters = fleet({ a: 5, b: 1 });
  const d = run(spread(4, { topologyKey: REGION, maxSkew: 2 }), clusters);
  t.same(perGroup(d, REGION, clusters), { a: 3, b: 1 });
});

t.test('minGroups forces at least that many regions', async (t) => {
  const clusters = fleet({ a: 3, b: 3, c: 3 });
  // Steady pulls everything to region a; minGroups 3 still opens b and c.
  const prev = { clusters: [{ clusterName: 'a-0' }, { clusterName: 'a-1' }, { clusterName: 'a-2' }] };
  const d = run(spread(3, { topologyKey: REGION, minGroups: 3 }), clusters, { previous: prev });
  t.same(perGroup(d, REGION, clusters), { a: 1, b: 1, c: 1 });
  const loose = run(spread(3, { topologyKey: REGION, minGroups: 1 }), clusters, { previous: prev });
  t.same(perGroup(loose, REGION, clusters), { a: 3 });
});

t.test('minGroups larger than the regions available is unschedulable', async (t) => {
  const d = run(spread(4, { topologyKey: REGION, minGroups: 3 }), fleet({ a: 3, b: 3 }));
  t.equal(d.status, 'Unschedulable');
  t.equal(d.unschedulable?.reason, 'SpreadConstraintUnsatisfiable');
  t.match(d.unschedulable?.message, 'spread by topology.kubernetes.io/region needs at least 3 groups: only 2 groups have eligible clusters');
});

t.test('maxGroups caps the number of regions used', async (t) => {
  const clusters = fleet({ a: 4, b: 4, c: 4 });
  const d = run(spread(undefined, { topologyKey: REGION, maxGroups: 2 }), clusters);
  t.same(Object.keys(perGroup(d, REGION, clusters)).sort(), ['a', 'b'], 'best two regions (tie → name)');
  t.equal(d.clusters.length, 8);
});

t.test('zone and provider keys work the same way', async (t) => {
  const clusters = fleet({ eu: 4, us: 4 }, (r, i) => ({ [ZONE]: `${r}-z${i % 2}`, [PROVIDER]: i < 2 ? 'aws' : 'gcp' }));
  const z = run(spread(4, { topologyKey: ZONE, maxSkew: 1, minGroups: 4 }), clusters);
  t.same(perGroup(z, ZONE, clusters), { 'eu-z0': 1, 'eu-z1': 1, 'us-z0': 1, 'us-z1': 1 });
  const p = run(spread(4, { topologyKey: PROVIDER, maxSkew: 1 }), clusters);
  t.same(perGroup(p, PROVIDER, clusters), { aws: 2, gcp: 2 });
});

t.test('two constraints at once: regions and providers both balanced', async (t) => {
  const clusters = fleet({ eu: 4, us: 4 }, (_r, i) => ({ [PROVIDER]: i < 2 ? 'aws' : 'gcp' }));
  const d = run(spread(4, { topologyKey: REGION, maxSkew: 1 }, { topologyKey: PROVIDER, maxSkew: 1 }), clusters);
  t.same(perGroup(d, REGION, clusters), { eu: 2, us: 2 });
  t.same(perGroup(d, PROVIDER, clusters), { aws: 2, gcp: 2 });
});

t.test('clusters without the topology label are filtered, with the reason', async (t) => {
  const clusters = [...fleet({ a: 1 }), cluster('bare')];
  const d = run(spread(undefined, { topologyKey: REGION }), clusters);
  t.same(d.clusters.map((c) => c.clusterName), ['a-0']);
  t.equal(d.candidates.find((c) => c.clusterName === 'bare')?.filters.find((f) => f.plugin === 'SpreadConstraint')?.reason, 'MissingTopologyLabel');
});

t.test('spread with Divided replicas keeps every spread cluster', async (t) => {
  const clusters = fleet({ a: 2, b: 2 });
  const d = run({ ...spread(4, { topologyKey: REGION, maxSkew: 1 }), replicaScheduling: { type: 'Divided' } }, clusters);
  t.equal(d.clusters.length, 4);
  t.equal(d.clusters.reduce((s, c) => s + c.replicas!, 0), 3);
});
