/**
 * The behaviour every Store backend must share, run by memory.test.ts and sqlite.test.ts (and
 * etcd.test.ts when an etcd is available). Waits poll for events rather than assuming delivery
 * timing, so the same checks hold for etcd, whose events arrive through its watch stream.
 */
import type { Test } from 'tap';
import { OBJECT_MODIFIED, StatusError } from '../../src/errors/status.js';
import type {
  KeyPrefix, KubeObject, ObjectKey, Store, WatchEvent, WatchOptions,
} from '../../src/storage/types.js';
import { waitFor } from '../helpers/wait.js';

export type StoreFactory = (opts: { historySize?: number }) => Promise<Store>;

const R = 'configmaps';
const key = (name: string, namespace = 'default', cluster = 'root:org', resource = R): ObjectKey =>
  ({ cluster, resource, namespace, name });
const obj = (name: string, data: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data });

/** Yields long enough for anything already queued (microtasks, immediates) to run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function collect(store: Store, prefix: KeyPrefix, opts: WatchOptions = {}) {
  const events: WatchEvent[] = [];
  const state: { closed?: Error | 'clean' } = {};
  const watcher = store.watch(prefix, opts, {
    onEvent: (e) => events.push(e),
    onClose: (r) => { state.closed = r ?? 'clean'; },
  });
  return { events, watcher, state };
}

async function rejects(t: Test, p: Promise<unknown>, code: number, reason: string, message?: string | RegExp): Promise<void> {
  try {
    await p;
    t.fail(`expected ${reason}`);
  } catch (err) {
    t.ok(err instanceof StatusError, 'a StatusError');
    const se = err as StatusError;
    t.equal(se.code, code);
    t.equal(se.reason, reason);
    if (typeof message === 'string') t.equal(se.message, message);
    else if (message) t.match(se.message, message);
  }
}

const rvOf = (o: KubeObject | undefined) => Number(o?.metadata.resourceVersion);

export interface SuiteTraits {
  /** etcd keeps old revisions (until compaction), so an Exact list at an older one succeeds. */
  servesOldRevisions?: boolean;
}

export function storeSuite(t: Test, make: StoreFactory, traits: SuiteTraits = {}): void {
  const open = async (tt: Test, opts: { historySize?: number } = {}) => {
    const store = await make(opts);
    tt.teardown(() => store.close());
    return store;
  };

  t.test('create, get, update, delete', async (t) => {
    const s = await open(t);
    const start = Number(await s.currentResourceVersion());
    const created = await s.create(key('a'), obj('a', { x: 1 }));
    t.equal(rvOf(created), start + 1, 'create takes the next revision');
    t.same(await s.get(key('a')), created);
    t.equal(await s.currentResourceVersion(), String(start + 1));

    const updated = await s.update(key('a'), { ...created, data: { x: 2 } });
    t.ok(rvOf(updated) > rvOf(created), 'update advances the revision');
    t.same((await s.get(key('a')))?.data, { x: 2 });

    const deleted = await s.delete(key('a'));
    t.ok(rvOf(deleted) > rvOf(updated), 'delete reports the deletion revision');
    t.same(deleted.data, { x: 2 }, 'delete returns the last state');
    t.equal(await s.get(key('a')), undefined);
    t.equal(await s.currentResourceVersion(), String(rvOf(deleted)));
  });

  t.test('returned objects are copies', async (t) => {
    const s = await open(t);
    const input = obj('a', { x: 1 });
    const created = await s.create(key('a'), input);
    created.data.x = 99;
    (input.data as Record<string, unknown>).x = 98;
    t.same((await s.get(key('a')))?.data, { x: 1 });
    t.equal(input.metadata.resourceVersion, undefined, 'the caller\'s object is not stamped');
  });

  t.test('AlreadyExists and NotFound', async (t) => {
    const s = await open(t);
    await s.create(key('a'), obj('a'));
    await rejects(t, s.create(key('a'), obj('a')), 409, 'AlreadyExists', 'configmaps "a" already exists');
    await rejects(t, s.create(key('d', 'default', 'root', 'apps/deployments'), obj('d'))
      .then(() => s.create(key('d', 'default', 'root', 'apps/deployments'), obj('d'))),
    409, 'AlreadyExists', 'deployments.apps "d" already exists');
    t.equal(await s.get(key('missing')), undefined);
    await rejects(t, s.update(key('missing'), obj('missing')), 404, 'NotFound', 'configmaps "missing" not found');
    await rejects(t, s.update(key('missing'), (o) => o), 404, 'NotFound');
    await rejects(t, s.delete(key('missing')), 404, 'NotFound');
    t.ok(await s.get(key('a', 'other')) === undefined, 'same name in another namespace is another key');
    t.ok(await s.get(key('a', 'default', 'root:other')) === undefined, 'and in another cluster');
  });

  t.test('preconditions: stale resourceVersion and uid conflict', async (t) => {
    const s = await open(t);
    const v1 = await s.create(key('a'), { ...obj('a', { x: 1 }), metadata: { name: 'a', uid: 'u1' } });
    const v2 = await s.update(key('a'), { ...v1, data: { x: 2 } }, { resourceVersion: v1.metadata.resourceVersion });
    await rejects(t, s.update(key('a'), { ...v1, data: { x: 3 } }, { resourceVersion: v1.metadata.resourceVersion }),
      409, 'Conflict', `Operation cannot be fulfilled on configmaps "a": ${OBJECT_MODIFIED}`);
    await rejects(t, s.update(key('a'), (o) => o, { uid: 'other' }), 409, 'Conflict', /Precondition failed: UID/);
    await rejects(t, s.delete(key('a'), { resourceVersion: v1.metadata.resourceVersion }), 409, 'Conflict');
    t.same((await s.get(key('a')))?.data, { x: 2 }, 'nothing changed');
    const gone = await s.delete(key('a'), { resourceVersion: v2.metadata.resourceVersion, uid: 'u1' });
    t.same(gone.data, { x: 2 });
  });

  t.test('UpdateFn is atomic under concurrency', async (t) => {
    const s = await open(t);
    await s.create(key('counter'), obj('counter', { n: 0 }));
    const bump = async (o: KubeObject) => {
      await new Promise((r) => setImmediate(r)); // give every other updater a chance to interleave
      return { ...o, data: { n: (o.data.n as number) + 1 } };
    };
    await Promise.all(Array.from({ length: 12 }, () => s.update(key('counter'), bump)));
    await Promise.all(Array.from({ length: 12 }, () =>
      s.update(key('counter'), (o) => ({ ...o, data: { n: (o.data.n as number) + 1 } }))));
    t.equal((await s.get(key('counter')))?.data.n, 24, 'no increment lost');
  });

  t.test('UpdateFn may mutate its argument; errors from it abort the update', async (t) => {
    const s = await open(t);
    const v1 = await s.create(key('a'), obj('a', { x: 1 }));
    const v2 = await s.update(key('a'), (o) => { o.data.x = 2; return o; });
    t.same(v2.data, { x: 2 });
    t.ok(rvOf(v2) > rvOf(v1));
    await t.rejects(s.update(key('a'), () => { throw new Error('nope'); }), /nope/);
    t.equal(rvOf(await s.get(key('a'))), rvOf(v2));
  });

  t.test('what create/update return, and what the caller passed, share nothing with the stored object or the watch event', async (t) => {
    const s = await open(t);
    const w = collect(s, { cluster: '*', resource: R });
    const input = obj('iso', { x: { deep: 1 } });
    const created = await s.create(key('iso'), input);
    created.data.x = 'mutated by the caller';
    (input.data as { y?: number }).y = 1;
    const next = obj('iso', { x: { deep: 2 } });
    const updated = await s.update(key('iso'), next);
    (updated.data.x as { deep: number }).deep = 99;
    (next.data.x as { deep: number }).deep = 98;
    const viaFn = await s.update(key('iso'), (o) => { o.data.x = { deep: 3 }; return o; });
    (viaFn.data.x as { deep: number }).deep = 97;
    await waitFor('three events', () => w.events.length >= 3, { everyMs: 5 });
    t.same(w.events.map((e) => e.object.data), [{ x: { deep: 1 } }, { x: { deep: 2 } }, { x: { deep: 3 } }], 'events as written');
    t.same(w.events[2].prevObject?.data, { x: { deep: 2 } }, 'prevObject as stored');
    t.same((await s.get(key('iso')))?.data, { x: { deep: 3 } }, 'stored as written');
    t.equal(created.metadata.resourceVersion, w.events[0].resourceVersion, 'create returns the object with its revision');
    t.equal(viaFn.metadata.resourceVersion, w.events[2].resourceVersion, 'update returns the object with its revision');
    w.watcher.stop();
  });

  t.test('a no-op update writes nothing and emits nothing', async (t) => {
    const s = await open(t);
    const v1 = await s.create(key('a'), obj('a', { x: 1, nested: { k: [1, 2] } }));
    const w = collect(s, { cluster: '*', resource: R });
    const rvBefore = await s.currentResourceVersion();
    // Same content, different key order and a stale/absent resourceVersion: still a no-op.
    const same = await s.update(key('a'), { data: { nested: { k: [1, 2] }, x: 1 }, metadata: { namespace: 'default', name: 'a' }, kind: 'ConfigMap', apiVersion: 'v1' });
    t.equal(same.metadata.resourceVersion, v1.metadata.resourceVersion);
    const viaFn = await s.update(key('a'), (o) => o);
    t.equal(viaFn.metadata.resourceVersion, v1.metadata.resourceVersion);
    t.equal(await s.currentResourceVersion(), rvBefore);
    await s.update(key('a'), (o) => ({ ...o, data: { x: 2 } }));
    await waitFor('the real change', () => w.events.length >= 1, { everyMs: 5 });
    await settle();
    t.same(w.events.map((e) => e.type), ['MODIFIED'], 'only the real change is an event');
    w.watcher.stop();
  });

  t.test('list with a filter, a namespace and a name', async (t) => {
    const s = await open(t);
    await s.create(key('a'), obj('a', {}, { app: 'x' }));
    await s.create(key('b'), obj('b', {}, { app: 'y' }));
    await s.create(key('c', 'other'), obj('c', {}, { app: 'x' }));
    await s.create(key('a', 'default', 'root:org', 'secrets'), obj('a', {}, { app: 'x' }));
    const all = await s.list({ cluster: 'root:org', resource: R });
    t.same(all.items.map((o) => o.metadata.name), ['a', 'b', 'c'], 'ordered by namespace then name');
    t.equal(all.resourceVersion, await s.currentResourceVersion());
    const x = await s.list({ cluster: 'root:org', resource: R }, { filter: (o) => o.metadata.labels?.app === 'x' });
    t.same(x.items.map((o) => o.metadata.name), ['a', 'c']);
    const ns = await s.list({ cluster: 'root:org', resource: R, namespace: 'other' });
    t.same(ns.items.map((o) => o.metadata.name), ['c']);
    const one = await s.list({ cluster: 'root:org', resource: R, name: 'b' });
    t.same(one.items.map((o) => o.metadata.name), ['b']);
    const empty = await s.list({ cluster: 'root:none', resource: R });
    t.same(empty.items, []);
  });

  t.test('list across clusters with "*"', async (t) => {
    const s = await open(t);
    await s.create(key('a', 'default', 'root:b'), obj('a'));
    await s.create(key('a', 'default', 'root:a'), obj('a'));
    await s.create(key('z', 'default', 'root:a'), obj('z'));
    const all = await s.list({ cluster: '*', resource: R });
    t.same(all.items.map((o) => o.metadata.name), ['a', 'z', 'a']);
    const paged: string[] = [];
    let cont: string | undefined;
    do {
      const page = await s.list({ cluster: '*', resource: R }, { limit: 1, continue: cont });
      paged.push(...page.items.map((o) => o.metadata.name!));
      cont = page.continue;
    } while (cont);
    t.same(paged, ['a', 'z', 'a'], 'pagination crosses cluster boundaries');
  });

  t.test('pagination returns every item exactly once', async (t) => {
    const s = await open(t);
    const names: string[] = [];
    for (const ns of ['a', 'b', 'c']) {
      for (let i = 0; i < 9; i++) {
        const n = `item-${i}`;
        await s.create(key(n, ns), { metadata: { name: n, namespace: ns } });
        names.push(`${ns}/${n}`);
      }
    }
    const seen: string[] = [];
    let cont: string | undefined;
    let listRv: string | undefined;
    let pages = 0;
    do {
      const page = await s.list({ cluster: 'root:org', resource: R }, { limit: 7, continue: cont });
      pages++;
      if (pages === 1) {
        listRv = page.resourceVersion;
        t.equal(page.remainingItemCount, 20);
        // Changes between pages: a new key ahead of the cursor shows up, one behind it does not.
        await s.create(key('zzz', 'c'), { metadata: { name: 'zzz', namespace: 'c' } });
        await s.create(key('aaa', 'a'), { metadata: { name: 'aaa', namespace: 'a' } });
      }
      t.equal(page.resourceVersion, listRv, 'every page reports the first page\'s revision');
      t.ok(page.items.length <= 7);
      seen.push(...page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
      cont = page.continue;
    } while (cont);
    t.equal(pages, 4);
    // Later pages of a consistent (etcd) list read at the first page's revision; the others read
    // current data, where a key added ahead of the cursor shows up.
    t.same(seen, traits.servesOldRevisions ? names : [...names, 'c/zzz'], 'all original items once, in key order');
    await rejects(t, s.list({ cluster: 'root:org', resource: R }, { continue: 'not-a-token' }), 400, 'BadRequest');
  });

  t.test('list with a filter and a limit pages through matches only', async (t) => {
    const s = await open(t);
    for (let i = 0; i < 20; i++) await s.create(key(`o${String(i).padStart(2, '0')}`), obj(`o${i}`, {}, { even: String(i % 2 === 0) }));
    const got: string[] = [];
    let cont: string | undefined;
    do {
      const page = await s.list({ cluster: 'root:org', resource: R }, { limit: 3, continue: cont, filter: (o) => o.metadata.labels?.even === 'true' });
      t.equal(page.remainingItemCount, undefined, 'no count when a filter hides items');
      got.push(...page.items.map((o) => o.metadata.name!));
      cont = page.continue;
    } while (cont);
    t.same(got, Array.from({ length: 10 }, (_, i) => `o${i * 2}`));
  });

  t.test('list resourceVersion semantics', async (t) => {
    const s = await open(t);
    await s.create(key('a'), obj('a'));
    const v = await s.create(key('b'), obj('b'));
    const p = { cluster: 'root:org', resource: R };
    t.equal((await s.list(p, { resourceVersion: v.metadata.resourceVersion, resourceVersionMatch: 'Exact' })).items.length, 2);
    t.equal((await s.list(p, { resourceVersion: '0' })).items.length, 2);
    t.equal((await s.list(p, { resourceVersion: '1', resourceVersionMatch: 'NotOlderThan' })).items.length, 2);
    if (traits.servesOldRevisions) {
      const older = await s.list(p, { resourceVersion: String(rvOf(v) - 1), resourceVersionMatch: 'Exact' });
      t.same(older.items.map((o) => o.metadata.name), ['a'], 'the list as it was');
    } else {
      await rejects(t, s.list(p, { resourceVersion: String(rvOf(v) - 1), resourceVersionMatch: 'Exact' }),
        410, 'Expired', 'The resourceVersion for the provided list is too old.');
    }
    await rejects(t, s.list(p, { resourceVersion: String(rvOf(v) + 100) }), 504, 'Timeout', /Too large resource version/);
    await rejects(t, s.list(p, { resourceVersion: 'abc' }), 400, 'BadRequest');
  });

  t.test('watch from now sees ADDED, MODIFIED, DELETED in order', async (t) => {
    const s = await open(t);
    await s.create(key('before'), obj('before'));
    const w = collect(s, { cluster: 'root:org', resource: R });
    const c = await s.create(key('a'), obj('a', { x: 1 }));
    const u = await s.update(key('a'), (o) => ({ ...o, data: { x: 2 } }));
    const d = await s.delete(key('a'));
    await s.create(key('elsewhere', 'default', 'root:other'), obj('elsewhere'));
    await s.create(key('secret', 'default', 'root:org', 'secrets'), obj('secret'));
    await waitFor('three events', () => w.events.length >= 3, { everyMs: 5 });
    await settle();
    t.same(w.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    t.same(w.events.map((e) => e.resourceVersion), [c, u, d].map((o) => o.metadata.resourceVersion));
    t.same(w.events[1].prevObject?.data, { x: 1 }, 'MODIFIED carries the previous state');
    t.same(w.events[2].object.data, { x: 2 }, 'DELETED carries the last state');
    t.equal(w.events[2].object.metadata.resourceVersion, d.metadata.resourceVersion, 'stamped with the deletion revision');
    t.same(w.events[0].key, key('a'));
    w.watcher.stop();
  });

  t.test('watch resumes from a revision without gaps, then streams live', async (t) => {
    const s = await open(t);
    await s.create(key('a'), obj('a'));
    const from = await s.currentResourceVersion();
    const expected: string[] = [];
    for (let i = 0; i < 5; i++) expected.push((await s.update(key('a'), (o) => ({ ...o, data: { i } }))).metadata.resourceVersion!);
    const w = collect(s, { cluster: 'root:org', resource: R }, { resourceVersion: from });
    expected.push((await s.create(key('b'), obj('b'))).metadata.resourceVersion!);
    await waitFor('replay and live events', () => w.events.length >= 6, { everyMs: 5 });
    await settle();
    t.same(w.events.map((e) => e.resourceVersion), expected, 'replayed then live, in order, once each');
    t.same(w.events.map((e) => e.type), ['MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'ADDED']);
    w.watcher.stop();
  });

  t.test('watch from a revision older than the history is 410 Expired', async (t) => {
    const s = await open(t, { historySize: 4 });
    const first = await s.create(key('a'), obj('a'));
    for (let i = 0; i < 10; i++) await s.update(key('a'), (o) => ({ ...o, data: { i } }));
    const now = Number(await s.currentResourceVersion());
    // Let etcd's event stream catch up before asking about the window.
    const probe = collect(s, { cluster: 'root:org', resource: R }, { resourceVersion: String(now - 4) });
    await waitFor('the retained window', () => probe.events.length === 4, { everyMs: 5 });
    probe.watcher.stop();
    if (traits.servesOldRevisions) {
      // etcd: every replica answers an old revision alike, from etcd's history (410 only once compacted)
      const old = collect(s, { cluster: 'root:org', resource: R }, { resourceVersion: first.metadata.resourceVersion });
      await waitFor('the ten updates from etcd history', () => old.events.length === 10, { everyMs: 5 });
      t.same(old.events.map((e) => e.resourceVersion), old.events.map((_e, i) => String(now - 9 + i)), 'in order, no gap');
      old.watcher.stop();
      return;
    }
    let err: unknown;
    try {
      s.watch({ cluster: 'root:org', resource: R }, { resourceVersion: first.metadata.resourceVersion }, { onEvent: () => t.fail('no events') });
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof StatusError, 'throws synchronously');
    t.equal((err as StatusError).code, 410);
    t.equal((err as StatusError).reason, 'Expired');
    t.equal((err as StatusError).message, `too old resource version: ${first.metadata.resourceVersion} (${now - 4})`);
    t.throws(() => s.watch({ cluster: 'root:org', resource: R }, { resourceVersion: String(now - 5) }, { onEvent: () => {} }),
      { code: 410 }, 'one below the window is too old');
  });

  t.test('filtered watch turns leaving and entering the filter into DELETED and ADDED', async (t) => {
    const s = await open(t);
    const w = collect(s, { cluster: 'root:org', resource: R }, { filter: (o) => o.metadata.labels?.app === 'x' });
    await s.create(key('a'), obj('a', { v: 1 }, { app: 'x' }));
    await s.create(key('other'), obj('other', {}, { app: 'y' }));
    await s.update(key('a'), (o) => ({ ...o, data: { v: 2 } }));
    const left = await s.update(key('a'), (o) => ({ ...o, metadata: { ...o.metadata, labels: { app: 'y' } } }));
    await s.update(key('a'), (o) => ({ ...o, data: { v: 3 } }));
    const back = await s.update(key('a'), (o) => ({ ...o, metadata: { ...o.metadata, labels: { app: 'x' } } }));
    await s.update(key('other'), (o) => ({ ...o, data: { touched: true } }));
    await s.delete(key('a'));
    await waitFor('five events', () => w.events.length >= 5, { everyMs: 5 });
    await settle();
    t.same(w.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED', 'ADDED', 'DELETED']);
    const del = w.events[2];
    t.equal(del.resourceVersion, left.metadata.resourceVersion);
    t.equal(del.object.metadata.labels?.app, 'x', 'DELETED shows the last state the watcher could see');
    t.equal(del.object.metadata.resourceVersion, left.metadata.resourceVersion, 'at the revision it left');
    t.equal(w.events[3].resourceVersion, back.metadata.resourceVersion);
    t.same(w.events[3].object.data, { v: 3 });
    w.watcher.stop();
  });

  t.test('watch narrowed to a namespace and a name', async (t) => {
    const s = await open(t);
    const ns = collect(s, { cluster: 'root:org', resource: R, namespace: 'other' });
    const named = collect(s, { cluster: '*', resource: R, name: 'b' });
    await s.create(key('a'), obj('a'));
    await s.create(key('a', 'other'), obj('a'));
    await s.create(key('b', 'default', 'root:x'), obj('b'));
    await waitFor('events', () => ns.events.length >= 1 && named.events.length >= 1, { everyMs: 5 });
    await settle();
    t.same(ns.events.map((e) => e.key), [key('a', 'other')]);
    t.same(named.events.map((e) => e.key), [key('b', 'default', 'root:x')]);
  });

  t.test('a stopped watcher receives nothing more; others carry on', async (t) => {
    const s = await open(t);
    const a = collect(s, { cluster: 'root:org', resource: R });
    const b = collect(s, { cluster: 'root:org', resource: R });
    await s.create(key('one'), obj('one'));
    await waitFor('first event', () => a.events.length === 1 && b.events.length === 1, { everyMs: 5 });
    a.watcher.stop();
    a.watcher.stop();
    await s.create(key('two'), obj('two'));
    await waitFor('second event', () => b.events.length === 2, { everyMs: 5 });
    await settle();
    t.equal(a.events.length, 1);
    t.equal(a.state.closed, undefined, 'stop() is not a close from the store side');
  });

  t.test('a throwing handler closes only its own watch', async (t) => {
    const s = await open(t);
    let closedWith: Error | undefined;
    s.watch({ cluster: 'root:org', resource: R }, {}, {
      onEvent: () => { throw new Error('consumer broke'); },
      onClose: (r) => { closedWith = r; },
    });
    const ok = collect(s, { cluster: 'root:org', resource: R });
    await s.create(key('one'), obj('one'));
    await s.create(key('two'), obj('two'));
    await waitFor('events for the healthy watcher', () => ok.events.length === 2, { everyMs: 5 });
    t.match(closedWith?.message, /consumer broke/);
  });

  t.test('resourcesIn names the resources a cluster has objects of, served or not', async (t) => {
    const s = await open(t);
    t.same(await s.resourcesIn!('root:org'), [], 'an empty store');
    await s.create(key('a'), obj('a'));
    await s.create(key('w', 'default', 'root:org', 'example.com/widgets'), obj('w'));
    await s.create(key('d', 'default', 'root:org:child', 'apps/deployments'), obj('d'));
    await s.create(key('x', '', 'root', 'zz.example.com/things'), obj('x'));
    await s.create(key('gone', 'default', 'root:org', 'apps/deployments'), obj('gone'));
    await s.delete(key('gone', 'default', 'root:org', 'apps/deployments'));
    t.same((await s.resourcesIn!('root:org')).sort(), ['configmaps', 'example.com/widgets'], 'not a child cluster\'s, not a deleted object\'s');
    t.same(await s.resourcesIn!('root:org:child'), ['apps/deployments']);
    t.same(await s.resourcesIn!('root'), ['zz.example.com/things']);
    t.same(await s.resourcesIn!('root:nothing'), []);
  });

  t.test('close ends every watch', async (t) => {
    const store = await make({});
    const w = collect(store, { cluster: '*', resource: R });
    await store.close();
    t.equal(w.state.closed, 'clean');
    await rejects(t, store.get(key('a')), 503, 'ServiceUnavailable');
  });
}
