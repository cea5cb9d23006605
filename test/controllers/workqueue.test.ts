import t from 'tap';
import { FakeClock } from '../../src/client/testing/fake-clock.js';
import { WorkQueue } from '../../src/controllers/workqueue.js';

/** Drain every ready key without blocking (get() resolves at once when something is ready). */
async function drain(queue: WorkQueue, markDone = true): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await queue.get() as string;
    keys.push(key);
    if (markDone) queue.done(key);
  }
  return keys;
}

t.test('adds are deduplicated while queued', async (t) => {
  const depths: number[] = [];
  const queue = new WorkQueue({ clock: new FakeClock(), hooks: { depth: (d) => depths.push(d) } });
  queue.add('a');
  queue.add('b');
  queue.add('a');
  t.equal(queue.len(), 2);
  t.same(await drain(queue), ['a', 'b']);
  t.same(depths, [1, 2, 1, 0], 'depth hook follows the ready list');
});

t.test('a key being processed is not handed out twice; re-added → processed again after done', async (t) => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  queue.add('a');
  const first = await queue.get();
  t.equal(first, 'a');
  queue.add('a');
  queue.add('a');
  t.equal(queue.len(), 0, 'not ready while in flight');
  let second: string | undefined;
  const pending = queue.get().then((k) => { second = k; });
  await new Promise((r) => setImmediate(r));
  t.equal(second, undefined, 'a second worker waits');
  queue.done('a');
  await pending;
  t.equal(second, 'a', 'handed out again once, after done');
  queue.done('a');
  t.equal(queue.len(), 0, 'the two re-adds collapsed into one');
});

t.test('waiting getters receive keys as they are added', async (t) => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  const got = Promise.all([queue.get(), queue.get()]);
  queue.add('x');
  queue.add('y');
  t.same(await got, ['x', 'y']);
});

t.test('priority: higher first, FIFO within a priority, re-add raises priority', async (t) => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  queue.add('low1');
  queue.add('high1', { priority: 10 });
  queue.add('low2');
  queue.add('mid', { priority: 5 });
  queue.add('high2', { priority: 10 });
  queue.add('low2', { priority: 7 });
  queue.add('mid', { priority: 1 });
  t.same(await drain(queue), ['high1', 'high2', 'low2', 'mid', 'low1']);
});

t.test('addAfter waits on the clock; the earliest delay for a key wins', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  queue.addAfter('a', 1000);
  queue.addAfter('a', 500);
  queue.addAfter('a', 2000);
  queue.addAfter('b', 0);
  t.same(await drain(queue), ['b']);
  await clock.advance(499);
  t.equal(queue.len(), 0);
  await clock.advance(1);
  t.same(await drain(queue), ['a']);
  await clock.advance(5000);
  t.equal(queue.len(), 0, 'superseded timers do not add again');
});

t.test('addRateLimited backs off exponentially per key until forget; cap applies', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: { baseDelayMs: 5, maxDelayMs: 40 } });
  for (let i = 0; i < 6; i++) {
    queue.addRateLimited('a');
    await clock.fireNext();
    t.same(await drain(queue), ['a']);
  }
  t.same(clock.delays, [5, 10, 20, 40, 40, 40]);
  t.equal(queue.numRequeues('a'), 6);
  queue.forget('a');
  t.equal(queue.numRequeues('a'), 0);
  queue.addRateLimited('a');
  queue.addRateLimited('b');
  t.same(clock.delays.slice(6), [5, 5], 'forget resets; keys back off independently');
});

t.test('the optional token bucket limits overall retries', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: { baseDelayMs: 1, bucket: { qps: 10, burst: 2 } } });
  queue.addRateLimited('a');
  queue.addRateLimited('b');
  queue.addRateLimited('c');
  queue.addRateLimited('d');
  t.same(clock.delays, [1, 1, 100, 200], 'burst of 2, then one token per 100ms');
});

t.test('shutDown: adds ignored, getters released, pending timers cancelled', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  const waiting = queue.get();
  queue.addAfter('later', 100);
  queue.shutDown();
  t.equal(await waiting, undefined);
  queue.add('x');
  t.equal(await queue.get(), undefined);
  t.equal(clock.pendingCount(), 0);
  t.ok(queue.isShuttingDown());
});

t.test('idle() waits for ready and in-flight keys, not for delayed ones', async (t) => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  await queue.idle();
  t.pass('an empty queue is idle at once');
  queue.add('a');
  queue.addAfter('later', 1000);
  let idle = false;
  const waiting = queue.idle().then(() => { idle = true; });
  const key = await queue.get();
  await new Promise((r) => setImmediate(r));
  t.notOk(idle, 'not idle while a is in flight');
  queue.add('a');
  queue.done(key as string);
  await new Promise((r) => setImmediate(r));
  t.notOk(idle, 'a was re-added while in flight: ready again');
  queue.done((await queue.get()) as string);
  await waiting;
  t.ok(idle, 'idle once a is done, though "later" still waits on its delay');
});
