import t from 'tap';
import { ProgressTracker } from '../../src/simulator/progress.js';

const obj = (generation: number, image = 'nginx', observedGeneration?: number) => ({
  metadata: { name: 'w', generation },
  spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
  ...(observedGeneration ? { status: { observedGeneration } } : {}),
});

t.test('a new workload settles after the delay', async (t) => {
  const p = new ProgressTracker(100);
  t.match(p.observe('k', obj(1), 3, 1000), { settled: false, rollout: false, settlesAt: 1100 });
  t.match(p.observe('k', obj(1), 3, 1099), { settled: false });
  t.match(p.observe('k', obj(1), 3, 1100), { settled: true, settlesAt: undefined });
});

t.test('a new generation restarts the delay; a template change is a rollout', async (t) => {
  const p = new ProgressTracker(100);
  p.observe('k', obj(1), 3, 0);
  t.match(p.observe('k', obj(2), 3, 500), { settled: false, rollout: false, settlesAt: 600 }, 'replicas-only change');
  t.match(p.observe('k', obj(3, 'nginx:2'), 3, 700), { settled: false, rollout: true });
  t.match(p.observe('k', obj(3, 'nginx:2'), 3, 800), { settled: true, rollout: false });
});

t.test('more pods fitting restarts the delay; fewer does not', async (t) => {
  const p = new ProgressTracker(100);
  p.observe('k', obj(1), 2, 0);
  t.match(p.observe('k', obj(1), 1, 200), { settled: true });
  t.match(p.observe('k', obj(1), 3, 300), { settled: false, settlesAt: 400 });
});

t.test('after a restart, an already observed generation counts as settled', async (t) => {
  const p = new ProgressTracker(100);
  t.match(p.observe('k', obj(4, 'nginx', 4), 3, 5000), { settled: true });
  t.match(p.observe('j', obj(4, 'nginx', 3), 3, 5000), { settled: false });
  p.retain(new Set(['j']));
  t.match(p.observe('k', obj(4), 3, 6000), { settled: false }, 'forgotten entries start over');
});
