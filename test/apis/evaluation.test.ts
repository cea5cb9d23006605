/**
 * The PlacementDecision evaluation codec: lossless up to FULL_RECORD_UP_TO clusters (rows →
 * columns → the same rows), bounded beyond (counts, the chosen and the best others), and
 * tolerant of a hand-edited record.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { type CandidateRow, FULL_RECORD_UP_TO, LISTED, candidateRows, encodeEvaluation } from '../../src/apis/tmc/evaluation.js';
import { schedule } from '../../src/placement/index.js';
import { engineCluster } from '../../src/reconcilers/workloadplacement/cluster-input.js';
import { WS, deployment, placement, readyCluster } from '../reconcilers/workloadplacement/fakes.js';

const FILTERS = ['Ready', 'TaintToleration', 'Capacity'];
const SCORERS = ['LeastAllocated', 'Steady'];

const verdictArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ passed: true }) },
  { weight: 1, arbitrary: fc.record({ passed: fc.boolean(), reason: fc.constantFrom('NotReady', 'Retained', 'UntoleratedTaint'), message: fc.option(fc.constantFrom('m1', 'm2'), { nil: undefined }) }, { requiredKeys: ['passed', 'reason'] }) },
);

const rowsArb = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), { maxLength: 30 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), fc.array(verdictArb, { minLength: FILTERS.length, maxLength: FILTERS.length }), fc.array(fc.integer({ min: -100, max: 100 }), { minLength: SCORERS.length, maxLength: SCORERS.length }))))
    .map((cells) => cells.map(([clusterName, verdicts, scores]): CandidateRow => {
      // JSON has no undefined: a verdict without a message has no message key
      const filters = verdicts.map((v, k) => JSON.parse(JSON.stringify({ plugin: FILTERS[k], ...v })) as CandidateRow['filters'][number]);
      const feasible = filters.every((f) => f.passed);
      const scored = feasible ? scores.map((score, k) => ({ plugin: SCORERS[k], score, weight: k + 1 })) : [];
      return { clusterName, filters, scores: scored, total: scored.reduce((s, x) => s + x.score * (x.weight ?? 1), 0) };
    })));

const byName = (rows: readonly CandidateRow[]) => [...rows].sort((a, b) => (a.clusterName < b.clusterName ? -1 : 1));

t.test('rows → evaluation → the same rows', async (t) => {
  fc.assert(fc.property(rowsArb, (rows) => {
    const ev = encodeEvaluation(rows);
    // it goes over the wire as JSON
    assert.deepStrictEqual(candidateRows(JSON.parse(JSON.stringify(ev))), byName(rows));
    assert.equal(ev.considered, rows.length);
  }), { numRuns: 300 });
  t.pass('300 random evaluations decoded to their rows');
});

t.test('layout: plain passes are implicit, verdicts grouped, scores by column best first', async (t) => {
  const rows: CandidateRow[] = [
    { clusterName: 'a', filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'down' }, { plugin: 'Capacity', passed: true }], scores: [], total: 0 },
    { clusterName: 'b', filters: [{ plugin: 'Ready', passed: true }, { plugin: 'Capacity', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 40.4, weight: 2 }], total: 80.8 },
    { clusterName: 'c', filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'down' }, { plugin: 'Capacity', passed: false, reason: 'InsufficientCPU' }], scores: [], total: 0 },
    { clusterName: 'd', filters: [{ plugin: 'Ready', passed: true }, { plugin: 'Capacity', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 45, weight: 2 }], total: 90 },
  ];
  t.same(encodeEvaluation(rows), {
    considered: 4,
    filters: [
      { plugin: 'Ready', verdicts: [{ passed: false, reason: 'NotReady', message: 'down', clusters: ['a', 'c'] }] },
      { plugin: 'Capacity', verdicts: [{ passed: false, reason: 'InsufficientCPU', clusters: ['c'] }] },
    ],
    scores: { clusters: ['d', 'b'], totals: [90, 81], plugins: [{ plugin: 'LeastAllocated', weight: 2, scores: [45, 40] }] },
  });
  t.same(encodeEvaluation([]), { considered: 0 });
  t.same(candidateRows(undefined), []);
});

t.test('a hand-edited record with short columns decodes without inventing scores', async (t) => {
  const rows = candidateRows({ considered: 2, filters: [{ plugin: 'Ready' }], scores: { clusters: ['x', 'y'], plugins: [{ plugin: 'P', scores: [7] }] } });
  t.same(rows, [
    { clusterName: 'x', filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'P', score: 7 }], total: 0 },
    { clusterName: 'y', filters: [{ plugin: 'Ready', passed: true }], scores: [], total: 0 },
  ]);
});

t.test('an engine decision over 1 000 clusters: a bounded record of a few KB', async (t) => {
  const clusters = Array.from({ length: 1000 }, (_, i) => engineCluster(readyCluster(`cluster-${String(i).padStart(4, '0')}`, { 'topology.kubernetes.io/region': ['eu', 'us', 'ap'][i % 3] }), WS));
  const p = placement({ numberOfClusters: 3, replicaScheduling: { type: 'Divided' }, spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region', maxSkew: 1 }] });
  const d = schedule({ placement: { spec: p.spec as never }, workload: deployment('web', 6) as never, clusters, now: Date.now() });
  const ev = encodeEvaluation(d.candidates);
  const rowBytes = JSON.stringify(d.candidates.map(({ clusterName, filters, scores, total }) => ({ clusterName, filters, scores, total }))).length;
  const bytes = JSON.stringify(ev).length;
  t.comment(`1 000 clusters: rows ${rowBytes} bytes, bounded record ${bytes} bytes`);
  t.ok(bytes < 4096, `under 4 KiB (${bytes} bytes)`);
  t.equal(ev.considered, 1000);
  t.equal(ev.feasible, 1000, 'how many passed every filter');
  const chosen = d.clusters.map((c) => c.clusterName);
  t.equal(chosen.length, 3);
  for (const name of chosen) t.ok(ev.scores?.clusters.includes(name), `chosen ${name} keeps its scores`);
  t.equal(ev.scores?.clusters.length, 3 + LISTED, 'the chosen and the LISTED best others');
  t.equal(candidateRows(ev).length, 3 + LISTED);
});

t.test('bounded beyond FULL_RECORD_UP_TO: verdicts count their clusters and name the first LISTED; the chosen are kept however they rank', async (t) => {
  const n = FULL_RECORD_UP_TO + 1;
  const rows: CandidateRow[] = Array.from({ length: n }, (_, i) => {
    const clusterName = `c${String(i).padStart(3, '0')}`;
    if (i % 2 === 0) return { clusterName, filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady' }], scores: [], total: 0 };
    // c001 scores lowest of all, and is the one chosen (a spread constraint can do that)
    return { clusterName, filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'P', score: i, weight: 1 }], total: i, selected: i === 1 };
  });
  const ev = encodeEvaluation(rows);
  const notReady = ev.filters?.[0].verdicts?.[0];
  t.equal(notReady?.count, 51, 'every NotReady cluster counted');
  t.same(notReady?.clusters, rows.filter((_, i) => i % 2 === 0).slice(0, LISTED).map((r) => r.clusterName), 'the first LISTED by name');
  t.equal(ev.feasible, undefined, 'all 50 feasible clusters are listed: no count needed');
  // 50 feasible, 1 chosen: the chosen + all 49 others fit in LISTED, so nothing is dropped there
  t.equal(ev.scores?.clusters.length, 50);
  t.equal(ev.scores?.clusters[49], 'c001', 'the chosen cluster is listed, last by total');

  const many: CandidateRow[] = Array.from({ length: 300 }, (_, i) => ({
    clusterName: `c${String(i).padStart(3, '0')}`, filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'P', score: i, weight: 1 }], total: i, selected: i === 0,
  }));
  const big = encodeEvaluation(many);
  t.equal(big.feasible, 300);
  t.same(big.scores?.clusters.slice(0, 3), ['c299', 'c298', 'c297'], 'best first');
  t.equal(big.scores?.clusters.length, LISTED + 1);
  t.equal(big.scores?.clusters[LISTED], 'c000', 'the chosen one although it ranks last');
  t.same(big.scores?.plugins?.[0].scores.at(-1), 0);

  const small = rows.slice(0, FULL_RECORD_UP_TO);
  const full = encodeEvaluation(small);
  t.equal(full.feasible, undefined, 'up to FULL_RECORD_UP_TO: the full record, no counts');
  t.equal(full.filters?.[0].verdicts?.[0].count, undefined);
  t.equal(candidateRows(full).length, FULL_RECORD_UP_TO);
});
