/**
 * The PlacementDecision evaluation codec: lossless (rows → columns → the same rows), small (the
 * point of it), and tolerant of a hand-edited record.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { type CandidateRow, candidateRows, encodeEvaluation } from '../../src/apis/tmc/evaluation.js';
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

t.test('an engine decision over 1 000 clusters stays small', async (t) => {
  const clusters = Array.from({ length: 1000 }, (_, i) => engineCluster(readyCluster(`cluster-${String(i).padStart(4, '0')}`, { 'topology.kubernetes.io/region': ['eu', 'us', 'ap'][i % 3] }), WS));
  const p = placement({ numberOfClusters: 3, replicaScheduling: { type: 'Divided' }, spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region', maxSkew: 1 }] });
  const d = schedule({ placement: { spec: p.spec as never }, workload: deployment('web', 6) as never, clusters, now: Date.now() });
  const ev = encodeEvaluation(d.candidates);
  const rowBytes = JSON.stringify(d.candidates.map(({ clusterName, filters, scores, total }) => ({ clusterName, filters, scores, total }))).length;
  const columnBytes = JSON.stringify(ev).length;
  t.comment(`1 000 clusters: rows ${rowBytes} bytes, columns ${columnBytes} bytes`);
  t.ok(columnBytes < 40 * 1000, `under 40 bytes per cluster (${columnBytes / 1000})`);
  t.ok(columnBytes * 10 < rowBytes, 'at least ten times smaller than row by row');
  t.equal(candidateRows(ev).length, 1000);
});
