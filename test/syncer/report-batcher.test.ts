/**
 * The per-object batching of per-cluster status reports (status/report-batcher.ts): a new
 * object's first reports become one write as soon as the last awaited cluster reports (or when the
 * hold ends), an urgent report is not held, a failed write is retried with the newest reports, and
 * a gone object drops them.
 */
import t from 'tap';
import type { KubeObject } from '../../src/client/types.js';
import { StatusError } from '../../src/errors/status.js';
import { DEPLOYMENTS } from '../../src/syncer/resources.js';
import { ReportBatcher, isUrgentReport, type ReportBatcherOptions } from '../../src/syncer/status/report-batcher.js';
import { FakeClock } from '../../src/client/testing/fake-clock.js';
import type { UpstreamRef } from '../../src/syncer/keys.js';

const ref: UpstreamRef = { resource: DEPLOYMENTS, workspace: 'root:ws', namespace: 'default', name: 'web' };
const upstream = (clusters: string[], reported: string[] = [], rv = '10'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'default', resourceVersion: rv,
    labels: Object.fromEntries(clusters.map((c) => [`state.tmc.kcp.io/${c}`, 'Sync'])),
    annotations: Object.fromEntries(reported.map((c) => [`status.tmc.kcp.io/${c}`, '{}'])),
  },
});
const ok = { conditions: [{ type: 'Synced', status: 'True', reason: 'Synced' }] };
const failed = { conditions: [{ type: 'Synced', status: 'False', reason: 'ApplyFailed' }] };

/** A batcher on a fake clock: `pass(ms)` moves its time on and lets the writes it starts settle. */
function batcher(opts: ReportBatcherOptions) {
  const clock = new FakeClock();
  const b = new ReportBatcher({ ...opts, clock });
  return { b, pass: (ms: number) => clock.advance(ms) };
}

function recorder(fail: (n: number) => Error | undefined = () => undefined) {
  const writes: Array<Record<string, string | null>> = [];
  const write = async (_ref: UpstreamRef, annotations: Record<string, string | null>): Promise<KubeObject | undefined> => {
    const err = fail(writes.length);
    writes.push(annotations);
    if (err) throw err;
    return undefined;
  };
  return { writes, write };
}

t.test('the first reports of all clusters are one write, made when the last one arrives', async (t) => {
  const { writes, write } = recorder();
  const { b, pass } = batcher({ write, holdMs: 10_000 });
  t.teardown(() => b.stop());
  const obj = upstream(['a', 'b', 'c']);
  b.submit(ref, 'a', { ...ok, readyReplicas: 1 }, obj);
  b.submit(ref, 'b', ok, obj);
  await pass(5_000);
  t.equal(writes.length, 0, 'held while c has not reported');
  b.submit(ref, 'c', ok, obj);
  await pass(0);
  t.equal(writes.length, 1, 'one write once every cluster reported, long before the hold ends');
  t.same(Object.keys(writes[0]).sort(), ['status.tmc.kcp.io/a', 'status.tmc.kcp.io/b', 'status.tmc.kcp.io/c']);
  t.same(JSON.parse(writes[0]['status.tmc.kcp.io/a']!), { ...ok, readyReplicas: 1 });
  t.equal(b.pending(), 0);
});

t.test('a cluster that does not report holds the others no longer than holdMs', async (t) => {
  const { writes, write } = recorder();
  const { b, pass } = batcher({ write, holdMs: 80 });
  t.teardown(() => b.stop());
  b.submit(ref, 'a', ok, upstream(['a', 'b']));
  await pass(79);
  t.equal(writes.length, 0, 'held while b has not reported');
  await pass(1);
  t.same(writes.map((w) => Object.keys(w)), [['status.tmc.kcp.io/a']]);
});

t.test('later reports share a short window; a failure is not held', async (t) => {
  const { writes, write } = recorder();
  const { b, pass } = batcher({ write, holdMs: 10_000, windowMs: 60 });
  t.teardown(() => b.stop());
  const all = upstream(['a', 'b'], ['a', 'b']);
  b.submit(ref, 'a', { ...ok, readyReplicas: 2 }, all);
  b.submit(ref, 'b', { ...ok, readyReplicas: 2 }, all);
  await pass(59);
  t.equal(writes.length, 0, 'within the window');
  await pass(1);
  t.equal(writes.length, 1, 'both in one write after the window');
  b.submit(ref, 'a', failed, all, isUrgentReport(ok, failed));
  await pass(0);
  t.equal(writes.length, 2, 'the failure went out at once');
  t.ok(isUrgentReport(failed, ok), 'a recovery is urgent too');
  t.notOk(isUrgentReport(undefined, ok), 'a first successful report is not');
});

t.test('removal is a null annotation', async (t) => {
  const { writes, write } = recorder();
  const { b, pass } = batcher({ write, windowMs: 0 });
  t.teardown(() => b.stop());
  b.submit(ref, 'a', undefined, upstream(['b'], ['a', 'b']));
  await pass(0);
  t.same(writes, [{ 'status.tmc.kcp.io/a': null }]);
});

t.test('a failed write is retried with the newest reports; a gone object drops them', async (t) => {
  const { writes, write } = recorder((n) => (n === 0 ? new StatusError(503, 'ServiceUnavailable', 'busy') : undefined));
  const { b, pass } = batcher({ write, windowMs: 0, retryBaseMs: 40 });
  t.teardown(() => b.stop());
  const all = upstream(['a', 'b'], ['a', 'b']);
  b.submit(ref, 'a', { ...ok, readyReplicas: 1 }, all);
  b.submit(ref, 'b', { ...ok, readyReplicas: 1 }, all);
  await pass(0);
  t.equal(writes.length, 1, 'the first write failed');
  b.submit(ref, 'a', { ...ok, readyReplicas: 2 }, all);
  await pass(39);
  t.equal(writes.length, 1, 'the retry waits out the backoff');
  await pass(1);
  t.equal(writes.length, 2, 'retried once');
  await pass(60_000);
  t.equal(writes.length, 2, 'and not again');
  t.same(JSON.parse(writes[1]['status.tmc.kcp.io/a']!).readyReplicas, 2, 'the newer report of a won');
  t.same(JSON.parse(writes[1]['status.tmc.kcp.io/b']!).readyReplicas, 1, 'b was put back');

  const gone = recorder(() => new StatusError(404, 'NotFound', 'gone'));
  const { b: g, pass: passGone } = batcher({ write: gone.write, windowMs: 0, retryBaseMs: 10 });
  t.teardown(() => g.stop());
  g.submit(ref, 'a', ok, all);
  await passGone(60_000);
  t.equal(gone.writes.length, 1, 'not retried');
  t.equal(g.pending(), 0);
});

t.test('a discarded report is never written, and discard waits for a write in flight', async (t) => {
  const { writes, write } = recorder();
  const { b, pass } = batcher({ write, holdMs: 10_000 });
  t.teardown(() => b.stop());
  b.submit(ref, 'a', ok, upstream(['a', 'b']));
  await b.discard(ref, 'a');
  t.equal(b.pending(), 0, 'nothing left to write');
  await pass(60_000);
  t.same(writes, [], 'the held report of a removed copy does not come back');

  let release!: () => void;
  const { b: slow, pass: passSlow } = batcher({ write: (_r, annotations) => new Promise((resolve) => { writes.push(annotations); release = () => resolve(undefined); }), windowMs: 0 });
  t.teardown(() => slow.stop());
  slow.submit(ref, 'a', ok, upstream(['a'], ['a']));
  await passSlow(0);
  t.equal(writes.length, 1, 'a write is in flight');
  let discarded = false;
  const waiting = slow.discard(ref, 'a').then(() => { discarded = true; });
  await passSlow(0);
  t.notOk(discarded, 'discard waits while the write is in flight');
  release();
  await waiting;
  t.ok(discarded, 'and returns once it landed');
});
