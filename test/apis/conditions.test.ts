import t from 'tap';
import { findCondition, setCondition, type ConditionLike } from '../../src/apis/conditions.js';
import { microTime, rfc3339 } from '../../src/apis/time.js';

t.test('setCondition keeps lastTransitionTime while the status holds, moves it when it changes', async (t) => {
  const start: ConditionLike[] = [{ type: 'A', status: 'True', reason: 'R', message: 'm', lastTransitionTime: 't0' }];
  const same = setCondition(start, { type: 'A', status: 'True', reason: 'R2', message: 'other' }, 't1');
  t.same(same, [{ type: 'A', status: 'True', reason: 'R2', message: 'other', lastTransitionTime: 't0' }], 'same status: old time, new reason');
  const flipped = setCondition(same, { type: 'A', status: 'False', reason: 'Broke' }, 't2');
  t.equal(flipped[0]!.lastTransitionTime, 't2', 'status changed: now');
  const added = setCondition(flipped, { type: 'B', status: 'Unknown' }, 't3');
  t.same(added.map((c) => c.type), ['A', 'B'], 'a new type is appended, others keep their place');
  t.equal(start[0]!.reason, 'R', 'the input list is not modified');
  t.equal(findCondition(added, 'B')?.lastTransitionTime, 't3');
  t.equal(findCondition(undefined, 'B'), undefined);
});

t.test('rfc3339 is metav1.Time (whole seconds), microTime is metav1.MicroTime', async (t) => {
  const ms = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  t.equal(rfc3339(ms), '2026-01-02T03:04:05Z');
  t.equal(rfc3339(new Date(ms)), '2026-01-02T03:04:05Z');
  t.equal(microTime(ms), '2026-01-02T03:04:05.678000Z');
  // the last second is remembered: the next second, and going back, give their own text
  t.equal(rfc3339(ms + 400), '2026-01-02T03:04:06Z');
  t.equal(rfc3339(ms), '2026-01-02T03:04:05Z');
  t.equal(rfc3339(ms - 1000), '2026-01-02T03:04:04Z');
  t.equal(rfc3339(-1), '1969-12-31T23:59:59Z', 'before the epoch: the second below');
});
