import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { storeSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'tmc-sqlite-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeSuite(t, async (opts) => new SqliteStore({ path: join(dir, `s${n++}.db`), ...opts }));

t.test('reopening the same file keeps every object and the revision counter', async (t) => {
  const path = join(dir, 'reopen.db');
  const key = (name: string) => ({ cluster: 'root', resource: 'apps/deployments', namespace: 'ns', name });
  const first = new SqliteStore({ path });
  await first.create(key('a'), { metadata: { name: 'a' }, spec: { replicas: 1 } });
  await first.create(key('b'), { metadata: { name: 'b' } });
  await first.update(key('a'), (o) => ({ ...o, spec: { replicas: 3 } }));
  const del = await first.delete(key('b')); // the last write leaves no row: the counter must still hold it
  await first.close();

  const second = new SqliteStore({ path, synchronous: 'FULL' });
  t.teardown(() => second.close());
  t.equal(await second.currentResourceVersion(), del.metadata.resourceVersion);
  t.same((await second.get(key('a')))?.spec, { replicas: 3 });
  t.equal(await second.get(key('b')), undefined);
  const next = await second.create(key('c'), { metadata: { name: 'c' } });
  t.equal(Number(next.metadata.resourceVersion), Number(del.metadata.resourceVersion) + 1, 'the counter continues');
  t.throws(() => second.watch({ cluster: 'root', resource: 'apps/deployments' }, { resourceVersion: '1' }, { onEvent: () => {} }),
    { code: 410 }, 'history does not survive a restart: older revisions are 410');
});

t.test('an unopenable path is a clear 503', async (t) => {
  t.throws(() => new SqliteStore({ path: join(dir, 'no', 'such', 'dir', 'x.db') }), { code: 503, reason: 'ServiceUnavailable' });
});

t.test('a second store on the same file is refused while the first is open', async (t) => {
  const path = join(dir, 'locked.db');
  const first = new SqliteStore({ path });
  t.throws(() => new SqliteStore({ path }), { code: 503, message: /in use by another store or process/ });
  await first.create({ cluster: 'root', resource: 'configmaps', namespace: '', name: 'still-works' }, { metadata: { name: 'still-works' } });
  await first.close();
  const second = new SqliteStore({ path });
  t.ok(await second.get({ cluster: 'root', resource: 'configmaps', namespace: '', name: 'still-works' }));
  await second.close();
});

/** The row layer under a store, to count and break its commits. */
function rowsOf(store: SqliteStore): { applyBatch(writes: unknown[]): void } {
  return (store as unknown as { rows: { applyBatch(writes: unknown[]): void } }).rows;
}

t.test('group commit: concurrent writers share one transaction, acknowledged and announced in revision order', async (t) => {
  const store = new SqliteStore({ path: join(dir, 'group.db') });
  t.teardown(() => store.close());
  const rows = rowsOf(store);
  const commit = rows.applyBatch.bind(rows);
  const batches: number[] = [];
  rows.applyBatch = (writes) => { batches.push(writes.length); commit(writes); };
  const seen: string[] = [];
  store.watch({ cluster: 'root', resource: 'configmaps' }, {}, { onEvent: (ev) => seen.push(`${ev.type} ${ev.object.metadata.name} ${ev.resourceVersion}`) });
  const key = (name: string) => ({ cluster: 'root', resource: 'configmaps', namespace: 'ns', name });
  const created = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(key(`c${i}`), { metadata: { name: `c${i}` } })));
  t.same(batches, [20], 'twenty concurrent creates, one commit');
  t.same(created.map((o) => Number(o.metadata.resourceVersion)), Array.from({ length: 20 }, (_, i) => i + 1), 'revisions in call order');
  t.same(seen, created.map((o) => `ADDED ${o.metadata.name} ${o.metadata.resourceVersion}`), 'events in revision order');

  // a write to a key that has one queued waits for it and builds on it
  const [, updated] = await Promise.all([
    store.create(key('x'), { metadata: { name: 'x' }, data: { v: '1' } }),
    store.update(key('x'), (o) => ({ ...o, data: { v: `${o.data.v}+2` } })),
  ]);
  t.same(updated.data, { v: '1+2' }, 'the update saw the create queued before it');
  const [, second] = await Promise.allSettled([
    store.create(key('y'), { metadata: { name: 'y' } }),
    store.create(key('y'), { metadata: { name: 'y' } }),
  ]);
  t.match(second, { status: 'rejected', reason: { code: 409 } }, 'a second create of a queued key is AlreadyExists');
});

t.test('group commit: reads and the revision they report see committed writes only', async (t) => {
  const store = new SqliteStore({ path: join(dir, 'group-reads.db') });
  t.teardown(() => store.close());
  const key = { cluster: 'root', resource: 'configmaps', namespace: 'ns', name: 'q' };
  const before = await store.currentResourceVersion();
  const pending = store.create(key, { metadata: { name: 'q' } });
  const listed = await store.list({ cluster: 'root', resource: 'configmaps' });
  t.equal(listed.resourceVersion, before, 'a list while the create is queued is served at the committed revision');
  t.same(listed.items, []);
  const events: string[] = [];
  store.watch({ cluster: 'root', resource: 'configmaps' }, { resourceVersion: listed.resourceVersion }, { onEvent: (ev) => events.push(ev.type) });
  await pending;
  t.same(events, ['ADDED'], 'a watch from that list gets the create');
  t.ok(await store.get(key));
});

t.test('group commit: a failed commit fails every write in it, emits nothing and reuses its revisions', async (t) => {
  const store = new SqliteStore({ path: join(dir, 'group-fail.db') });
  t.teardown(() => store.close());
  const rows = rowsOf(store);
  const commit = rows.applyBatch.bind(rows);
  const key = (name: string) => ({ cluster: 'root', resource: 'configmaps', namespace: 'ns', name });
  await store.create(key('kept'), { metadata: { name: 'kept' } });
  const events: string[] = [];
  store.watch({ cluster: 'root', resource: 'configmaps' }, {}, { onEvent: (ev) => events.push(ev.object.metadata.name!) });
  rows.applyBatch = () => { throw new Error('disk I/O error'); };
  const results = await Promise.allSettled([store.create(key('a'), { metadata: { name: 'a' } }), store.update(key('kept'), (o) => ({ ...o, data: { x: '1' } }))]);
  t.match(results, [{ status: 'rejected', reason: { code: 500, message: /disk I\/O error/ } }, { status: 'rejected', reason: { code: 500 } }]);
  rows.applyBatch = commit;
  t.same(events, [], 'nothing announced');
  t.equal(await store.get(key('a')), undefined);
  t.equal(await store.currentResourceVersion(), '1');
  const next = await store.create(key('b'), { metadata: { name: 'b' } });
  t.equal(next.metadata.resourceVersion, '2', 'the failed revisions are handed out again');
  t.same(events, ['b']);
});
