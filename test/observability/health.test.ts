import t from 'tap';
import { HealthRegistry } from '../../src/observability/health.js';

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
