/**
 * Decision equivalence: the engine (cluster snapshot, memoized per-cluster verdicts) decides
 * exactly as the engine before it (test/placement/oracle, kept verbatim) on a seeded random corpus
 * (corpus.ts) — fresh per call, and through one snapshot shared by many placements while cluster
 * objects are replaced, as the controller uses it. Every field of every Decision is compared:
 * candidates, verdicts, scores, replicas, evictions, messages, warnings.
 */
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { ClusterSnapshot, schedule } from '../../src/placement/index.js';
import type { ClusterRegistration, Decision } from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';
import { schedule as oracle } from './oracle/index.js';
import { fleet, placementSpec, rng, type Rng, scheduleInput } from './corpus.js';
import { celCompiler } from './fixtures.js';

const SEEDS = Number(process.env.PLACEMENT_CORPUS_SEEDS ?? 100);

function compare(t: { strictSame(a: unknown, b: unknown, m: string): unknown }, input: ScheduleInput, actual: Decision, label: string): boolean {
  const { snapshot: _s, ...options } = input.options ?? {};
  const expected = oracle({ ...input, options } as never) as Decision;
  if (isDeepStrictEqual(actual, expected)) return true;
  t.strictSame(actual, expected, `${label}: decision differs from the previous engine`);
  return false;
}

/** A changed copy of a cluster (a new object, as an informer delivers an update). */
function changed(r: Rng, c: ClusterRegistration): ClusterRegistration {
  const next = structuredClone(c);
  const what = r.int(0, 3);
  if (what === 0) next.status = { ...next.status, conditions: [{ type: 'Ready', status: r.chance(0.5) ? 'True' : 'False', lastTransitionTime: new Date(Date.parse('2026-01-01T11:59:00Z')).toISOString() }] };
  if (what === 1) next.status = { ...next.status, allocated: { cpu: String(r.int(0, 64)), memory: `${r.int(0, 256)}Gi`, pods: String(r.int(0, 200)) } };
  if (what === 2) next.metadata = { ...next.metadata, labels: { ...next.metadata.labels, tier: r.pick(['prod', 'dev', 'staging']) } };
  if (what === 3) next.spec = { ...next.spec, taints: r.chance(0.5) ? [] : [{ key: 'spot', effect: 'NoSchedule' }], unschedulable: r.chance(0.2) };
  return next;
}

t.test('fresh per call: identical decisions on the seeded corpus', async (t) => {
  let same = 0;
  const statuses = new Map<string, number>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = rng(seed);
    const clusters = fleet(r, r.pick([0, 3, 10, 40, 40, 120]));
    for (let k = 0; k < 4; k++) {
      const input = scheduleInput(r, clusters);
      input.options.celCompiler = r.chance(0.9) ? celCompiler : undefined;
      const d = schedule(input);
      statuses.set(d.status, (statuses.get(d.status) ?? 0) + 1);
      if (compare(t, input, d, `seed ${seed} #${k}`)) same++;
    }
  }
  t.equal(same, SEEDS * 4, 'every decision identical');
  // the corpus is not degenerate: it reaches every outcome often
  for (const status of ['Scheduled', 'PartiallyScheduled', 'Unschedulable']) t.ok((statuses.get(status) ?? 0) >= SEEDS / 20, `${status}: ${statuses.get(status)}`);
});

t.test('one snapshot shared by many placements while clusters change', async (t) => {
  let same = 0;
  let total = 0;
  for (let seed = 1000; seed < 1000 + SEEDS / 10; seed++) {
    const r = rng(seed);
    const snapshot = new ClusterSnapshot();
    let clusters = fleet(r, r.pick([20, 80, 150]));
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 8; k++) {
        const input = scheduleInput(r, clusters);
        input.options.celCompiler = celCompiler;
        input.options.snapshot = snapshot;
        total++;
        if (compare(t, input, schedule(input), `seed ${seed} round ${round} #${k}`)) same++;
      }
      // an informer update: some clusters replaced by changed copies, one removed, one added
      clusters = clusters.map((c) => (r.chance(0.15) ? changed(r, c) : c));
      if (clusters.length > 1) clusters.splice(r.int(0, clusters.length - 1), 1);
      clusters.push(fleet(r, 1)[0]);
      clusters[clusters.length - 1].metadata.name = `added-${round}`;
    }
  }
  t.equal(same, total, 'every decision identical');
});

t.test('one snapshot, a few placement specs shared by many workloads (memoized verdict rows)', async (t) => {
  // As in a controller: many placements share a spec, differing in workload (kind, replicas, pod
  // size), replica mode and previous decision, so per-cluster memos are hit across decisions.
  let same = 0;
  let total = 0;
  for (let seed = 2000; seed < 2000 + SEEDS / 10; seed++) {
    const r = rng(seed);
    const snapshot = new ClusterSnapshot();
    const clusters = fleet(r, r.pick([30, 100]));
    const names = clusters.map((c) => c.metadata.name);
    const specs = Array.from({ length: 3 }, () => placementSpec(r, names));
    for (let k = 0; k < 30; k++) {
      const input = scheduleInput(r, clusters);
      const spec = { ...r.pick(specs) };
      if (r.chance(0.5)) spec.replicaScheduling = { ...spec.replicaScheduling, type: r.pick(['Duplicated', 'Divided'] as const) };
      delete spec.workloadSelector;
      input.placement = { ...input.placement, spec };
      input.options.celCompiler = celCompiler;
      input.options.snapshot = snapshot;
      total++;
      if (compare(t, input, schedule(input), `seed ${seed} #${k}`)) same++;
    }
  }
  t.equal(same, total, 'every decision identical');
});

t.test('the comparison can fail: a changed cluster seen through a stale object differs', async (t) => {
  // Guard against a vacuous oracle: mutating a cluster in place behind a shared snapshot is the
  // one misuse the snapshot cannot see, and the oracle must notice the difference.
  const r = rng(7);
  const snapshot = new ClusterSnapshot();
  const clusters = fleet(r, 30).map((c) => ({ ...c, status: { ...c.status, conditions: [{ type: 'Ready' as const, status: 'True' as const }] }, spec: { ...c.spec, taints: [], unschedulable: false, evictAfter: undefined } }));
  const input: ScheduleInput = { placement: { spec: {} }, workload: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } }, clusters, now: 0, options: { snapshot } };
  schedule(input);
  for (const c of clusters) c.status!.conditions = [{ type: 'Ready', status: 'False' as 'True' | 'False' } as never];
  const stale = schedule(input);
  const { snapshot: _s, ...options } = input.options!;
  t.not(isDeepStrictEqual(stale, oracle({ ...input, options } as never)), true);
});

t.test('one cluster list changed in place between decisions, and Balance counts as a Map', async (t) => {
  // The snapshot keeps the name order of the lists it saw and recognises a list by its elements,
  // not by the array: replacing, adding or removing an element of the same array must be seen.
  let same = 0;
  let total = 0;
  for (let seed = 3000; seed < 3000 + SEEDS / 10; seed++) {
    const r = rng(seed);
    const snapshot = new ClusterSnapshot();
    const clusters = fleet(r, r.pick([20, 60]));
    for (let k = 0; k < 12; k++) {
      const input = scheduleInput(r, clusters);
      input.options.celCompiler = celCompiler;
      input.options.snapshot = snapshot;
      total++;
      const d = schedule(input);
      if (compare(t, input, d, `seed ${seed} #${k}`)) same++;
      if (input.placementCounts) {
        // the same counts as a Map decide the same
        total++;
        const asMap = schedule({ ...input, placementCounts: new Map(Object.entries(input.placementCounts)) });
        if (compare(t, input, asMap, `seed ${seed} #${k} (Map counts)`)) same++;
      }
      const what = r.int(0, 2);
      if (what === 0) clusters[r.int(0, clusters.length - 1)] = changed(r, clusters[r.int(0, clusters.length - 1)]);
      if (what === 1 && clusters.length > 1) clusters.splice(r.int(0, clusters.length - 1), 1);
      if (what === 2) clusters.push({ ...fleet(r, 1)[0], metadata: { ...fleet(r, 1)[0].metadata, name: `added-${k}` } });
    }
  }
  t.equal(same, total, 'every decision identical');
});
