import t from 'tap';
import { cluster, run, split } from './fixtures.js';

t.test('smoke: duplicated over three ready clusters', async (t) => {
  const d = run({}, [cluster('c'), cluster('a'), cluster('b', { ready: false })]);
  t.equal(d.status, 'Scheduled');
  t.same(split(d), { a: 3, c: 3 });
  t.equal(d.candidates.length, 3);
  t.equal(d.candidates[1].filters.find((f) => f.plugin === 'Ready')?.reason, 'NotReady');
});
