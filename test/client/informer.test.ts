import t from 'tap';
import type http from 'node:http';
import { HttpTransport } from '../../src/client/http-transport.js';
import { Informer, type ListWatchSource } from '../../src/client/informer.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { FakeClock } from '../../src/client/testing/fake-clock.js';
import type { KubeObject, WatchDone, WatchEvent } from '../../src/client/types.js';
import { FakeApiServer, sendJson, statusBody, type RecordedRequest } from './fake-api-server.js';

const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };

function widget(name: string, rv: string, cluster = 'root:a'): KubeObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'ns', resourceVersion: rv, annotations: { 'kcp.io/cluster': cluster } } };
}

function list(rv: string, items: KubeObject[]): unknown {
  return { kind: 'WidgetList', apiVersion: 'example.com/v1', metadata: { resourceVersion: rv }, items };
}

function line(type: string, object: unknown): string {
  return JSON.stringify({ type, object }) + '\n';
}

/** Records handler calls as strings and lets a test await the n-th one. */
class Recorder {
  readonly log: string[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  readonly handlers = {
    onAdd: (o: KubeObject) => this.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (a: KubeObject, b: KubeObject) => this.push(`update ${b.metadata.name}@${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o: KubeObject) => this.push(`delete ${o.metadata.name}`),
  };
  private push(s: string): void {
    this.log.push(s);
    this.waiters = this.waiters.filter((w) => (this.log.length >= w.n ? (w.resolve(), false) : true));
  }
  waitFor(n: number): Promise<void> {
    if (this.log.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

type Step = (req: RecordedRequest, res: http.ServerResponse) => void;

/** A server that answers list and watch requests from two scripts, in order. */
async function scriptedServer(t: { teardown(fn: () => Promise<void>): void }, lists: Step[], watches: Step[]) {
  const server = new FakeApiServer((req, res) => {
    const step = req.query.get('watch') === 'true' ? watches.shift() : lists.shift();
    if (step) step(req, res);
    else {
      // Out of script: hold the watch open until the test ends.
      res.writeHead(200, { 'content-type': 'application/json' });
    }
  });
  const url = await server.start();
  const transport = new HttpTransport({ server: url });
  t.teardown(async () => { transport.close(); await server.close(); });
  return { server, kubeClient: new KubeClient(transport) };
}

t.test('list, watch from the list RV, events, bookmark, normal end resumes from last RV, 410 ERROR relists with a diff', async (t) => {
  const { server, kubeClient } = await scriptedServer(t, [
    (_q, res) => sendJson(res, 200, list('10', [widget('a', '5'), widget('b', '6'), widget('a', '7', 'root:b')])),
    (_q, res) => sendJson(res, 200, list('30', [widget('a', '5'), widget('c', '25'), widget('d', '26')])),
  ], [
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(line('MODIFIED', widget('a', '11', 'root:b')) + line('ADDED', widget('c', '12')) + line('DELETED', widget('b', '13'))
        + line('BOOKMARK', { kind: 'Widget', metadata: { resourceVersion: '15' } }));
    },
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(line('ERROR', statusBody(410, 'Expired', 'too old resource version: 15 (20)')));
    },
  ]);
  const clock = new FakeClock();
  const informer = new Informer({ source: kubeClient, gvr: widgets, namespace: 'ns', labelSelector: 'app=x', clock });
  t.teardown(() => informer.stop());
  const rec = new Recorder();
  informer.addEventHandler(rec.handlers);
  t.notOk(informer.hasSynced());
  informer.start();
  t.equal(await informer.waitForSync(), true);
  t.same(rec.log, ['add a@5', 'add b@6', 'add a@7'], 'same name in two workspaces = two objects');

  await rec.waitFor(6);
  t.same(rec.log.slice(3), ['update a@7->11', 'add c@12', 'delete b']);
  await server.waitForRequests(5);
  const [firstList, firstWatch, secondWatch, relist, thirdWatch] = server.requests;
  t.equal(firstList.query.get('labelSelector'), 'app=x');
  t.equal(firstList.query.get('limit'), '500');
  t.notOk(firstList.query.has('resourceVersion'), 'the first list reads the most recent state');
  t.equal(firstWatch.query.get('resourceVersion'), '10', 'watch starts at the list RV');
  t.equal(firstWatch.query.get('allowWatchBookmarks'), 'true');
  t.equal(firstWatch.query.get('timeoutSeconds'), '300');
  t.equal(secondWatch.query.get('resourceVersion'), '15', 'a normal end resumes from the bookmark RV');
  t.notOk(relist.query.has('watch'), 'a 410 ERROR leads to a relist');
  t.notOk(relist.query.has('resourceVersion'), 'the relist clears the RV');
  t.equal(thirdWatch.query.get('resourceVersion'), '30');

  await rec.waitFor(9);
  t.same(rec.log.slice(6).sort(), ['add d@26', 'delete a', 'update c@12->25'].sort(),
    'relist emits synthetic events for what changed meanwhile');
  t.same(informer.list().map((o) => `${o.metadata.annotations?.['kcp.io/cluster']}/${o.metadata.name}`).sort(),
    ['root:a/a', 'root:a/c', 'root:a/d']);
  t.equal(informer.get('root:a', 'ns', 'c')?.metadata.resourceVersion, '25');
  t.equal(clock.delays.length, 0, 'no backoff on any of these paths');
});

t.test('a 410 response to a watch relists; a 5xx response backs off and re-watches from the same RV', async (t) => {
  const { server, kubeClient } = await scriptedServer(t, [
    (_q, res) => sendJson(res, 200, list('10', [widget('a', '5')])),
    (_q, res) => sendJson(res, 200, list('40', [widget('a', '5')])),
  ], [
    (_q, res) => sendJson(res, 500, statusBody(500, 'InternalError', 'boom')),
    (_q, res) => sendJson(res, 410, statusBody(410, 'Gone', 'too old')),
  ]);
  const clock = new FakeClock();
  const errors: string[] = [];
  const informer = new Informer({ source: kubeClient, gvr: widgets, clock, onError: (e, phase) => errors.push(`${phase}:${e.message}`) });
  t.teardown(() => informer.stop());
  informer.start();
  await informer.waitForSync();
  await clock.nextTimer(true);
  t.same(clock.delays, [1000]);
  t.same(errors, ['watch:boom']);
  await clock.fireNext();
  await server.waitForRequests(5);
  t.equal(server.requests[2].query.get('resourceVersion'), '10', 'retry re-watches from the same RV');
  t.notOk(server.requests[3].query.has('watch'), '410 response → relist');
  t.equal(server.requests[4].query.get('resourceVersion'), '40');
});

t.test('connection refused: backoff grows 1s, 2s, 4s … capped at 30s, and nothing is listed', async (t) => {
  const gone = new FakeApiServer(() => {});
  const url = await gone.start();
  await gone.close();
  const transport = new HttpTransport({ server: url });
  t.teardown(() => transport.close());
  const clock = new FakeClock();
  const informer = new Informer({ source: new KubeClient(transport), gvr: widgets, clock });
  t.teardown(() => informer.stop());
  informer.start();
  for (let i = 0; i < 7; i++) {
    await clock.nextTimer(true);
    await clock.fireNext();
  }
  await clock.nextTimer(true);
  t.same(clock.delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  t.notOk(informer.hasSynced());
  informer.stop();
  t.equal(clock.pendingCount(), 0, 'stop cancels the pending retry');
  t.equal(await informer.waitForSync(), false);
});

/** A ListWatchSource driven by the test, for the paths that need no wire. */
class ScriptedSource implements ListWatchSource {
  listResults: Array<() => Promise<{ metadata: { resourceVersion: string }; items: KubeObject[] }>> = [];
  watches: Array<{ rv: string | undefined; onEvent: (e: WatchEvent) => void; onDone: WatchDone; stopped: boolean }> = [];
  lists = 0;
  async list() {
    this.lists++;
    const next = this.listResults.shift();
    if (!next) throw new Error('no list scripted');
    return next();
  }
  watch(_gvr: unknown, opts: { resourceVersion?: string }, onEvent: (e: WatchEvent) => void, onDone: WatchDone) {
    const w = { rv: opts.resourceVersion, onEvent, onDone, stopped: false };
    this.watches.push(w);
    return { stop: () => { w.stopped = true; } };
  }
}

const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

t.test('backoff resets after a success; non-410 ERROR events back off; indexes follow the cache', async (t) => {
  const source = new ScriptedSource();
  source.listResults = [refused, refused, async () => ({ metadata: { resourceVersion: '3' }, items: [widget('a', '2')] })];
  const clock = new FakeClock();
  const informer = new Informer({ source, gvr: widgets, clock });
  informer.addIndex('byCluster', (o) => [o.metadata.annotations?.['kcp.io/cluster'] ?? '']);
  t.teardown(() => informer.stop());
  informer.start();
  await clock.nextTimer(true);
  await clock.fireNext();
  await clock.nextTimer(true);
  await clock.fireNext();
  t.ok(informer.hasSynced());
  t.same(clock.delays, [1000, 2000]);
  t.equal(source.watches.length, 1);
  t.equal(source.watches[0].rv, '3');

  source.watches[0].onEvent({ type: 'ADDED', object: widget('b', '4', 'root:z') });
  t.same(informer.byIndex('byCluster', 'root:z').map((o) => o.metadata.name), ['b']);
  t.same(Object.fromEntries([...informer.indexCounts('byCluster')].filter(([, n]) => n > 0)), { 'root:a': 1, 'root:z': 1 }, 'each index value with its count');
  source.watches[0].onDone(new Error('socket hang up'));
  t.same(clock.delays, [1000, 2000, 1000], 'the list success reset the backoff');
  await clock.fireNext();
  t.equal(source.watches.length, 2);
  t.equal(source.watches[1].rv, '4', 're-watch from the last event RV');

  source.watches[1].onEvent({ type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'x', metadata: {} } as unknown as KubeObject });
  t.ok(source.watches[1].stopped, 'the failed watch is stopped');
  source.watches[1].onDone(null);
  t.same(clock.delays, [1000, 2000, 1000, 2000], 'one retry, not two, for an ERROR followed by the stream end');
  await clock.fireNext();
  t.equal(source.watches.length, 3);
  source.watches[2].onEvent({ type: 'DELETED', object: widget('b', '6', 'root:z') });
  t.same(informer.byIndex('byCluster', 'root:z'), [], 'deletes leave the index');
  t.notOk([...informer.indexCounts('byCluster')].some(([v, n]) => v === 'root:z' && n > 0), 'and its counts');
  t.equal(informer.lastResourceVersion(), '6');

  const late: string[] = [];
  informer.addEventHandler({ onAdd: (o) => late.push(o.metadata.name as string) });
  t.same(late, ['a'], 'a late handler is replayed the cache');
});

t.test('a throwing handler does not stop other handlers or the informer', async (t) => {
  const source = new ScriptedSource();
  source.listResults = [async () => ({ metadata: { resourceVersion: '1' }, items: [widget('a', '1')] })];
  const informer = new Informer({ source, gvr: widgets, clock: new FakeClock() });
  const seen: string[] = [];
  informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
  informer.addEventHandler({ onAdd: (o) => seen.push(o.metadata.name as string) });
  informer.start();
  await informer.waitForSync();
  source.watches[0].onEvent({ type: 'ADDED', object: widget('b', '2') });
  t.same(seen, ['a', 'b']);
  informer.stop();
  t.ok(source.watches[0].stopped);
});

t.test('transform: listed and watched objects are cached and handed out transformed', async (t) => {
  const source = new ScriptedSource();
  const bulky = (name: string, rv: string) => ({ ...widget(name, rv), spec: { keep: name, bulk: 'x'.repeat(1000) } }) as unknown as KubeObject;
  source.listResults = [async () => ({ metadata: { resourceVersion: '1' }, items: [bulky('a', '1')] })];
  const informer = new Informer({
    source, gvr: widgets, clock: new FakeClock(),
    transform: (o) => ({ ...o, spec: { keep: (o as unknown as { spec: { keep: string } }).spec.keep } }) as KubeObject,
  });
  const handed: unknown[] = [];
  informer.addEventHandler({ onAdd: (o) => handed.push((o as { spec?: unknown }).spec), onUpdate: (_, n) => handed.push((n as { spec?: unknown }).spec) });
  informer.start();
  await informer.waitForSync();
  source.watches[0].onEvent({ type: 'ADDED', object: bulky('b', '2') });
  source.watches[0].onEvent({ type: 'MODIFIED', object: bulky('a', '3') });
  t.same(handed, [{ keep: 'a' }, { keep: 'b' }, { keep: 'a' }]);
  t.same(informer.list().map((o) => (o as { spec?: unknown }).spec), [{ keep: 'a' }, { keep: 'b' }]);
  t.equal(informer.get('root:a', 'ns', 'a')?.metadata.resourceVersion, '3');
  informer.stop();
});

t.test('observe: a write is read back before its watch event; older events do not roll it back', async (t) => {
  const source = new ScriptedSource();
  source.listResults = [async () => ({ metadata: { resourceVersion: '5' }, items: [widget('a', '5')] })];
  const informer = new Informer({ source, gvr: widgets, clock: new FakeClock() });
  const rec = new Recorder();
  informer.addEventHandler(rec.handlers);
  informer.start();
  await informer.waitForSync();
  const spec = (o: KubeObject | undefined) => (o as unknown as { spec?: { v?: number } } | undefined)?.spec?.v;
  const withSpec = (name: string, rv: string, v: number) => ({ ...widget(name, rv), spec: { v } }) as unknown as KubeObject;

  informer.observe(withSpec('a', '8', 2));
  t.equal(spec(informer.get('root:a', 'ns', 'a')), 2, 'the write is visible at once');
  t.same(rec.log, ['add a@5'], 'no handler runs for an observed write');
  informer.observe(withSpec('a', '7', 1));
  t.equal(spec(informer.get('root:a', 'ns', 'a')), 2, 'an older write does not replace a newer one');
  informer.observe({ ...withSpec('a', 'opaque-rv', 9) });
  t.equal(spec(informer.get('root:a', 'ns', 'a')), 2, 'a non-integer resourceVersion is never compared');

  source.watches[0].onEvent({ type: 'MODIFIED', object: withSpec('a', '6', 1) });
  t.equal(spec(informer.get('root:a', 'ns', 'a')), 2, 'an event older than the observed write does not roll it back');
  source.watches[0].onEvent({ type: 'MODIFIED', object: withSpec('a', '8', 2) });
  t.same(rec.log, ['add a@5', 'update a@8->8'], 'the write\'s own event is delivered');
  source.watches[0].onEvent({ type: 'MODIFIED', object: withSpec('a', '9', 3) });
  t.equal(spec(informer.get('root:a', 'ns', 'a')), 3, 'later events apply as usual');

  informer.observe(withSpec('b', '10', 1));
  t.equal(spec(informer.get('root:a', 'ns', 'b')), 1, 'a created object is visible at once');
  source.watches[0].onEvent({ type: 'ADDED', object: withSpec('b', '10', 1) });
  t.equal(informer.list().length, 2);
  informer.stop();
});
