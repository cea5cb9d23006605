/**
 * Properties over random fleets and placements (fast-check):
 * - no chosen cluster fails a filter;
 * - Divided: replicas sum to the request and no cluster gets more than fits;
 * - Duplicated: every chosen cluster gets the request;
 * - numberOfClusters and spread limits (maxGroups, minGroups, maxSkew over the groups used) hold;
 * - the decision does not depend on the order of the input clusters.
 */
import fc from 'fast-check';
import t from 'tap';
import { schedule } from '../../src/placement/index.js';
import type { ClusterRegistration, WorkloadPlacementSpec } from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';
import { ago, celCompiler, deployment, NOW } from './fixtures.js';

const REGION = 'topology.kubernetes.io/region';

interface Gen {
  region: string;
  ready: boolean;
  cordoned: boolean;
  taint: 'none' | 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
  cpu: number;
  used: number;
  previous: number | null;
}

const clusterArb = fc.record<Gen>({
  region: fc.constantFrom('eu', 'us', 'ap', 'sa'),
  ready: fc.boolean(),
  cordoned: fc.boolean(),
  taint: fc.constantFrom('none', 'none', 'NoSchedule', 'NoExecute', 'PreferNoSchedule'),
  cpu: fc.integer({ min: 0, max: 12 }),
  used: fc.integer({ min: 0, max: 12 }),
  previous: fc.option(fc.integer({ min: 0, max: 6 })),
});

const specArb: fc.Arbitrary<WorkloadPlacementSpec> = fc.record({
  numberOfClusters: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  spreadConstraints: fc.option(
    fc.record({
      topologyKey: fc.constant(REGION),
      maxSkew: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      minGroups: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      maxGroups: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    }).map((sc) => [sc]),
    { nil: undefined },
  ),
  replicaScheduling: fc.constantFrom<WorkloadPlacementSpec['replicaScheduling']>(
    undefined,
    { type: 'Duplicated' },
    { type: 'Divided' },
    { type: 'Divided', divisionPreference: 'Aggregated' },
    { type: 'Divided', weights: { dynamic: 'AvailableReplicas' } },
    { type: 'Divided', weights: { static: [{ clusterSelector: { labelSelector: { matchLabels: { [REGION]: 'eu' } } }, weight: 3 }, { clusterSelector: { locations: ['loc-us'] } , weight: 1 }] } },
  ),
  tolerations: fc.constantFrom(undefined, [{ key: 'k', operator: 'Exists' as const }]),
  prioritizers: fc.constantFrom(undefined, { mode: 'Exact' as const, configurations: [{ name: 'Random' }] }, { configurations: [{ name: 'Locality', weight: 2 }] }),
});

function build(gens: Gen[], spec: WorkloadPlacementSpec, replicas: number): ScheduleInput {
  const clusters: ClusterRegistration[] = gens.map((g, i) => ({
    metadata: { name: `c${i}`, labels: { [REGION]: g.region } },
    spec: {
      location: `loc-${g.region}`,
      unschedulable: g.cordoned,
      taints: g.taint === 'none' ? [] : [{ key: 'k', effect: g.taint, timeAdded: ago(30) }],
    },
    status: {
      conditions: [{ type: 'Ready', status: g.ready ? 'True' : 'False', lastTransitionTime: ago(g.ready ? 3600 : 100 + i * 50) }],
      allocatable: { cpu: `${g.cpu}`, memory: '1Ti' },
      allocated: { cpu: `${g.used}`, memory: '0' },
    },
  }));
  const previous = { clusters: gens.flatMap((g, i) => (g.previous === null ? [] : [{ clusterName: `c${i}`, replicas: g.previous }])) };
  return { placement: { spec }, workload: deployment(replicas, '1', '1Mi'), clusters, previous, now: NOW, options: { celCompiler } };
}

t.test('random fleets and placements', async (t) => {
  fc.assert(
    fc.property(fc.array(clusterArb, { minLength: 0, maxLength: 14 }), specArb, fc.integer({ min: 0, max: 30 }), fc.integer(), (gens, spec, replicas, shuffleSeed) => {
      const input = build(gens, spec, replicas);
      const d = schedule(input);
      const byName = new Map(d.candidates.map((c) => [c.clusterName, c]));
      const gen = (name: string) => gens[Number(name.slice(1))];

      // no chosen cluster fails a filter
      for (const c of d.clusters) {
        const cand = byName.get(c.clusterName)!;
        if (!cand.filters.every((f) => f.passed)) throw new Error(`${c.clusterName} chosen but failed ${JSON.stringify(cand.filters)}`);
      }
      if (d.status === 'Unschedulable' && d.clusters.length > 0) throw new Error('unschedulable with clusters');
      if (spec.numberOfClusters !== undefined && d.clusters.length > spec.numberOfClusters) throw new Error('more than numberOfClusters');

      const dividedMode = spec.replicaScheduling?.type === 'Divided';
      if (d.status !== 'Unschedulable') {
        if (dividedMode) {
          const sum = d.clusters.reduce((s, c) => s + (c.replicas ?? 0), 0);
          if (sum !== replicas) throw new Error(`divided sum ${sum} != ${replicas}`);
          for (const c of d.clusters) {
            const g = gen(c.clusterName);
            const fits = g.cpu - g.used + (g.previous ?? 0);
            if (c.replicas! > Math.max(0, fits)) throw new Error(`${c.clusterName} got ${c.replicas}, fits ${fits}`);
            if (c.reason === 'Retained' && c.replicas! > (g.previous ?? 0)) throw new Error(`retained ${c.clusterName} grew`);
          }
        } else {
          for (const c of d.clusters) if (c.replicas !== replicas) throw new Error('duplicated replicas differ');
        }
      }

      const sc = spec.spreadConstraints?.[0];
      if (sc && d.clusters.length > 0) {
        const groups = new Map<string, number>();
        for (const c of d.clusters) {
          const r = gen(c.clusterName).region;
          groups.set(r, (groups.get(r) ?? 0) + 1);
        }
        const n = [...groups.values()];
        if (sc.maxGroups !== undefined && groups.size > sc.maxGroups) throw new Error(`groups ${groups.size} > maxGroups`);
        if (groups.size < (sc.minGroups ?? 1)) throw new Error(`groups ${groups.size} < minGroups`);
        if (sc.maxSkew !== undefined && Math.max(...n) - Math.min(...n) > sc.maxSkew) throw new Error(`skew ${JSON.stringify([...groups])}`);
      }

      // order independence
      const shuffled = [...input.clusters];
      let s = shuffleSeed >>> 0;
      for (let i = shuffled.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const j = s % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const again = schedule({ ...input, clusters: shuffled });
      if (JSON.stringify(again) !== JSON.stringify(d)) throw new Error('order dependent');
    }),
    { numRuns: 400, seed: 20260101 },
  );
  t.pass('400 random cases hold');
});
