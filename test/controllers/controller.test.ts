import t from 'tap';
import { FakeClock, flushMicrotasks } from '../../src/client/testing/fake-clock.js';
import { Controller } from '../../src/controllers/controller.js';
import { keyFor, keyOf, splitKey } from '../../src/controllers/keys.js';
import { TerminalError, type ReconcileResult } from '../../src/controllers/reconcile.js';
import { WorkQueue } from '../../src/controllers/workqueue.js';

function harness(reconcile: (key: string, attempt: number) => Promise<ReconcileResult>) {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: { baseDelayMs: 5, maxDelayMs: 1000 } });
  const attempts = new Map<string, number>();
  const outcomes: string[] = [];
  const controller = new Controller({
    name: 'test', queue, workers: 2,
    reconcile: async (key) => {
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      return reconcile(key, n);
    },
    onOutcome: (e) => outcomes.push(`${e.key}:${e.outcome}`),
  });
  return { clock, queue, controller, attempts, outcomes };
}

t.test('a thrown error is retried with growing backoff until it succeeds, then forgotten', async (t) => {
  const h = harness(async (_k, n) => { if (n < 4) throw new Error(`fail ${n}`); });
  h.controller.start();
  h.queue.add('ns/a');
  await flushMicrotasks();
  for (let i = 0; i < 3; i++) await h.clock.fireNext();
  await flushMicrotasks();
  t.same(h.outcomes, ['ns/a:error', 'ns/a:error', 'ns/a:error', 'ns/a:success']);
  t.same(h.clock.delays, [5, 10, 20]);
  t.equal(h.queue.numRequeues('ns/a'), 0, 'success forgets the failures');
  await h.controller.stop();
});

t.test('TerminalError is counted and not retried', async (t) => {
  const h = harness(async () => { throw new TerminalError('bad spec'); });
  h.controller.start();
  h.queue.add('ns/a');
  await flushMicrotasks();
  t.same(h.outcomes, ['ns/a:terminal']);
  t.equal(h.clock.pendingCount(), 0, 'nothing scheduled');
  t.equal(h.queue.len(), 0);
  await h.controller.stop();
});

t.test('requeueAfter forgets failures and re-adds after the delay', async (t) => {
  const h = harness(async (_k, n) => {
    if (n === 1) throw new Error('once');
    return n === 2 ? { requeueAfter: 30_000 } : undefined;
  });
  h.controller.start();
  h.queue.add('a');
  await flushMicrotasks();
  await h.clock.fireNext();
  t.same(h.outcomes, ['a:error', 'a:requeueAfter']);
  t.equal(h.queue.numRequeues('a'), 0);
  await h.clock.advance(29_999);
  t.equal(h.attempts.get('a'), 2);
  await h.clock.advance(1);
  t.same(h.outcomes, ['a:error', 'a:requeueAfter', 'a:success']);
  await h.controller.stop();
});

t.test('throwing non-Errors and throwing hooks never kill a worker', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  const seen: string[] = [];
  const controller = new Controller({
    name: 't', queue, workers: 1,
    reconcile: async (key) => { seen.push(key); if (key === 'boom') throw 'a string'; },
    onOutcome: () => { throw new Error('hook bug'); },
  });
  controller.start();
  queue.add('boom');
  queue.add('next');
  await flushMicrotasks();
  t.same(seen, ['boom', 'next']);
  await controller.stop();
});

t.test('stop waits for in-flight reconciles and hands out nothing more', async (t) => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const finished: string[] = [];
  const controller = new Controller({
    name: 't', queue, workers: 1,
    reconcile: async (key) => { await gate; finished.push(key); },
  });
  controller.start();
  queue.add('a');
  queue.add('b');
  await flushMicrotasks();
  let stopped = false;
  const stopping = controller.stop().then(() => { stopped = true; });
  await flushMicrotasks();
  t.notOk(stopped, 'still waiting for the in-flight reconcile');
  release();
  await stopping;
  t.same(finished, ['a'], 'b was never started');
});

t.test('keys: cluster|namespace/name, cluster-scoped, malformed → TerminalError', async (t) => {
  const obj = { metadata: { name: 'w', namespace: 'ns', annotations: { 'kcp.io/cluster': 'root:org' } } };
  t.equal(keyFor(obj), 'root:org|ns/w');
  t.equal(keyFor({ metadata: { name: 'c1' } }), '|c1');
  t.same(splitKey('root:org|ns/w'), { cluster: 'root:org', namespace: 'ns', name: 'w' });
  t.same(splitKey('|c1'), { cluster: '', namespace: '', name: 'c1' });
  t.same(splitKey('ns/w'), { cluster: '', namespace: 'ns', name: 'w' });
  t.equal(keyOf(splitKey('root|a/b')), 'root|a/b');
  t.throws(() => splitKey('root|a/b/c'), TerminalError);
  t.throws(() => splitKey('root|/b'), TerminalError);
});
