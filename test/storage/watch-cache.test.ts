import t from 'tap';
import { WatchCache } from '../../src/storage/watch-cache.js';
import type { KubeObject, WatchEvent } from '../../src/storage/types.js';

const R = 'configmaps';
const ev = (rv: number, name = 'a', type: WatchEvent['type'] = 'MODIFIED', cluster = 'c'): WatchEvent => ({
  type,
  key: { cluster, resource: R, namespace: 'ns', name },
  object: { metadata: { name, resourceVersion: String(rv) } } as KubeObject,
  resourceVersion: String(rv),
});
const tick = () => new Promise((r) => setImmediate(r));

t.test('the ring keeps the newest events and 410s before them', async (t) => {
  const cache = new WatchCache({ capacity: 3, startRevision: 10 });
  t.equal(cache.oldestResumableRevision, 10);
  t.throws(() => cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '9' }, { onEvent: () => {} }),
    { code: 410, message: 'too old resource version: 9 (10)' }, 'nothing before the start revision');
  for (let rv = 11; rv <= 17; rv++) cache.append(ev(rv));
  t.equal(cache.oldestResumableRevision, 14, 'events 15..17 retained');
  t.throws(() => cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '13' }, { onEvent: () => {} }), { code: 410 });
  const got: string[] = [];
  cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '14' }, { onEvent: (e) => got.push(e.resourceVersion) });
  t.same(got, [], 'replay waits for a microtask so the caller holds the watcher first');
  await tick();
  t.same(got, ['15', '16', '17']);
  t.throws(() => cache.append(ev(17)), /not above/, 'revisions must increase');
});

t.test('revisions may skip (etcd shares its counter with other keys)', async (t) => {
  const cache = new WatchCache({ capacity: 10, startRevision: 0 });
  for (const rv of [2, 5, 9, 20]) cache.append(ev(rv));
  const got: string[] = [];
  cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '6' }, { onEvent: (e) => got.push(e.resourceVersion) });
  await tick();
  t.same(got, ['9', '20']);
});

t.test('a handler that writes during fan-out does not reorder anyone\'s events', async (t) => {
  const cache = new WatchCache({ capacity: 100, startRevision: 0 });
  const seen: Record<string, string[]> = { first: [], second: [] };
  let next = 1;
  cache.watch({ cluster: 'c', resource: R }, {}, {
    onEvent: (e) => {
      seen.first.push(e.resourceVersion);
      if (e.resourceVersion === '1') cache.append(ev(++next)); // reentrant write
    },
  });
  cache.watch({ cluster: 'c', resource: R }, {}, { onEvent: (e) => seen.second.push(e.resourceVersion) });
  cache.append(ev(1));
  t.same(seen.first, ['1', '2']);
  t.same(seen.second, ['1', '2'], 'the second watcher sees 1 before 2');
});

t.test('a resumed watch switches to live delivery without gaps or duplicates', async (t) => {
  const cache = new WatchCache({ capacity: 100, startRevision: 0 });
  for (let rv = 1; rv <= 5; rv++) cache.append(ev(rv));
  const got: string[] = [];
  cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '2' }, { onEvent: (e) => got.push(e.resourceVersion) });
  cache.append(ev(6)); // before the replay microtask runs
  await tick();
  cache.append(ev(7));
  t.same(got, ['3', '4', '5', '6', '7']);
});

t.test('a resumed watch whose start is evicted before replay closes with 410', async (t) => {
  const cache = new WatchCache({ capacity: 2, startRevision: 0 });
  cache.append(ev(1));
  cache.append(ev(2));
  let closed: Error | undefined;
  const got: string[] = [];
  cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '0' }, { onEvent: () => {} });
  cache.watch({ cluster: 'c', resource: R }, { resourceVersion: '1' }, {
    onEvent: (e) => got.push(e.resourceVersion), onClose: (r) => { closed = r; },
  });
  cache.append(ev(3));
  cache.append(ev(4));
  await tick();
  t.same(got, []);
  t.match(closed, { code: 410, reason: 'Expired' });
});

t.test('wildcard cluster, other resources and filters', async (t) => {
  const cache = new WatchCache({ capacity: 100, startRevision: 0 });
  const all: WatchEvent[] = [];
  const one: WatchEvent[] = [];
  cache.watch({ cluster: '*', resource: R }, {}, { onEvent: (e) => all.push(e) });
  cache.watch({ cluster: 'c2', resource: R }, {}, { onEvent: (e) => one.push(e) });
  cache.append(ev(1, 'a', 'ADDED', 'c1'));
  cache.append(ev(2, 'a', 'ADDED', 'c2'));
  cache.append({ ...ev(3), key: { ...ev(3).key, resource: 'secrets' } });
  t.same(all.map((e) => e.resourceVersion), ['1', '2']);
  t.same(one.map((e) => e.resourceVersion), ['2']);
  t.equal(all[1], one[0], 'watchers share one event object');
});

t.test('1 000 watchers each get the write once', async (t) => {
  const cache = new WatchCache({ capacity: 10, startRevision: 0 });
  let deliveries = 0;
  const watchers = Array.from({ length: 1000 }, () => cache.watch({ cluster: 'c', resource: R }, {}, { onEvent: () => { deliveries++; } }));
  cache.append(ev(1));
  t.equal(deliveries, 1000);
  for (const w of watchers) w.stop();
  t.equal(cache.watcherCount, 0);
  cache.append(ev(2));
  t.equal(deliveries, 1000);
});

t.test('close ends watches and later watches close at once', async (t) => {
  const cache = new WatchCache({ capacity: 10, startRevision: 0 });
  const reasons: Array<Error | undefined | 'none'> = [];
  cache.watch({ cluster: 'c', resource: R }, {}, { onEvent: () => {}, onClose: (r) => reasons.push(r ?? 'none') });
  cache.close();
  t.same(reasons, ['none']);
  cache.watch({ cluster: 'c', resource: R }, {}, { onEvent: () => {}, onClose: (r) => reasons.push(r ?? 'none') });
  await tick();
  t.same(reasons, ['none', 'none']);
});
