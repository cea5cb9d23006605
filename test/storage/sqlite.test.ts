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
