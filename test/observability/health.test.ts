import t from 'tap';
import { HealthRegistry, Unavailable } from '../../src/observability/health.js';
import { storageProbe } from '../../src/observability/health-routes.js';

t.test('all passing: ok, or the verbose listing', async (t) => {
  const h = new HealthRegistry({ name: 'readyz' }).add('storage', async () => undefined).add('informers', () => true);
  t.same(await h.handle(), { status: 200, body: 'ok' });
  t.same(await h.handle(new URLSearchParams('verbose')), {
    status: 200, body: '[+]ping ok\n[+]storage ok\n[+]informers ok\nreadyz check passed\n',
  });
});

t.test('a failing check: 500 with the listing, details withheld but reported', async (t) => {
  const failures: string[] = [];
  const h = new HealthRegistry({ name: 'readyz', onFailure: (n, e) => failures.push(`${n}: ${(e as Error).message}`) })
    .add('storage', () => { throw new Error('db locked'); })
    .add('started', () => false);
  const r = await h.handle();
  t.equal(r.status, 500);
  t.equal(r.body, '[+]ping ok\n[-]storage failed: reason withheld\n[-]started failed: reason withheld\nreadyz check failed');
  t.notMatch(r.body, /db locked/);
  t.same(failures, ['storage: db locked', 'started: check returned false']);

  const ex = await h.handle(new URLSearchParams('exclude=storage&exclude=started&verbose'));
  t.equal(ex.status, 200);
  t.match(ex.body, '[+]storage excluded: ok');
});

t.test('single check endpoint and timeouts', async (t) => {
  const h = new HealthRegistry({ name: 'healthz', timeoutMs: 20 })
    .add('slow', () => new Promise(() => { /* never settles */ }))
    .add('fine', () => 1);
  t.same(await h.handleOne('fine'), { status: 200, body: 'ok' });
  t.same(await h.handleOne('slow'), { status: 500, body: 'internal server error: check timed out after 20ms' });
  t.equal((await h.handleOne('nope')).status, 404);
  t.ok(h.remove('slow'));
  t.same(await h.handle(), { status: 200, body: 'ok' });
  t.same(h.names(), ['ping', 'fine']);
  t.throws(() => h.add('bad name', () => true));
});

t.test('an Unavailable dependency: 503 with its public reason, on the summary and the single check', async (t) => {
  const h = new HealthRegistry({ name: 'readyz' })
    .add('storage', () => { throw new Unavailable('storage is unavailable: etcd did not answer in time'); })
    .add('started', () => false);
  const r = await h.handle();
  t.equal(r.status, 503);
  t.equal(r.body, '[+]ping ok\n[-]storage failed: storage is unavailable: etcd did not answer in time\n[-]started failed: reason withheld\nreadyz check failed');
  t.same(await h.handleOne('storage'), { status: 503, body: 'service unavailable: storage is unavailable: etcd did not answer in time' });
});

t.test('storageProbe: a store 503 becomes Unavailable without the store\'s internals; other errors stay withheld', async (t) => {
  const etcdDown = Object.assign(new Error('storage unavailable: etcd (http://10.0.0.7:2379) did not answer within 5000ms'), { code: 503 });
  const err = await storageProbe({ currentResourceVersion: () => Promise.reject(etcdDown) })().then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof Unavailable);
  t.match((err as Error).message, /a majority of etcd members must be up/);
  t.notMatch((err as Error).message, /10\.0\.0\.7/);
  const other = await storageProbe({ currentResourceVersion: () => Promise.reject(new Error('disk I/O error')) })().then(() => undefined, (e: unknown) => e);
  t.notOk(other instanceof Unavailable);
});
