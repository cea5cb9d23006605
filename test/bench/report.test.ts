import t from 'tap';
import { alternate, goalMet, median, ratioOf } from './report.js';
import { renderTable } from './table.js';

t.test('goals on the measured value and on the ratio to the baseline', async (t) => {
  t.equal(goalMet({ metric: 'p99', unit: 'ms', measured: 1.5, goal: { op: '<=', value: 2 } }), true);
  t.equal(goalMet({ metric: 'p99', unit: 'ms', measured: 2.5, goal: { op: '<=', value: 2 } }), false);
  t.equal(goalMet({ metric: 'rps', unit: '/s', measured: 30, baseline: 100, goal: { op: '>=', value: 0.4, on: 'ratio' } }), false);
  t.equal(goalMet({ metric: 'rps', unit: '/s', measured: 50, baseline: 100, goal: { op: '>=', value: 0.4, on: 'ratio' } }), true);
  t.equal(goalMet({ metric: 'rps', unit: '/s', measured: 50, goal: { op: '>=', value: 0.4, on: 'ratio' } }), undefined, 'no baseline, no verdict');
  t.equal(ratioOf({ metric: 'x', unit: '/s', measured: 5, baseline: 0 }), undefined);
});

t.test('sides take turns, the first side alternating per round', async (t) => {
  const order: string[] = [];
  const out = await alternate(3, { tmc: () => { order.push('tmc'); return 1; }, raw: async () => { order.push('raw'); return 2; } });
  t.same(order, ['tmc', 'raw', 'raw', 'tmc', 'tmc', 'raw']);
  t.same(out, { tmc: [1, 1, 1], raw: [2, 2, 2] });
  t.equal(median([3, 1, 2, 10]), 2.5);
});

t.test('the table shows goal, ratio, verdict, load and byte counts', async (t) => {
  const text = renderTable([
    { bench: 'api', metric: 'GET one c=10', unit: 'req/s', measured: 4000, baseline: 10000, baselineName: 'raw', goal: { op: '>=', value: 0.6, on: 'ratio' }, load: 3.5, bytes: { measured: 300, baseline: 217 } },
    { bench: 'placement', metric: 'decision p99', unit: 'ms', measured: 1.2, goal: { op: '<=', value: 2 } },
  ], new Map([[`placement\u0000decision p99`, { metric: 'decision p99', unit: 'ms', measured: 12.8 }]]));
  const [header, , api, placement] = text.split('\n');
  t.match(header, /metric .*goal .*measured .*baseline .*ratio .*met .*load .*previous run/);
  t.match(api, /GET one c=10 .*>= 0\.6× .*4000 req\/s .*10000 req\/s \(raw\) .*0\.40× .*NO .*3\.50 .*bytes 300 vs 217/);
  t.match(placement, /decision p99 .*<= 2\.00 ms .*1\.20 ms .*yes .*12\.8 ms/);
});
