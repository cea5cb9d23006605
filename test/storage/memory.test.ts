import t from 'tap';
import { MemoryStore } from '../../src/storage/memory.js';
import { storeSuite } from './store-suite.js';

storeSuite(t, async (opts) => new MemoryStore(opts));

t.test('a watch from a revision this store never reached is 410 (the store was reset)', async (t) => {
  const s = new MemoryStore();
  await s.create({ cluster: 'c', resource: 'configmaps', namespace: '', name: 'a' }, { metadata: { name: 'a' } });
  t.throws(() => s.watch({ cluster: 'c', resource: 'configmaps' }, { resourceVersion: '500' }, { onEvent: () => {} }),
    { code: 410, reason: 'Expired', message: /newer than the store's latest \(1\)/ });
  await s.close();
});

t.test('keys without a name or with the wildcard cluster are rejected with 400', async (t) => {
  const s = new MemoryStore();
  await t.rejects(s.create({ cluster: 'c', resource: 'configmaps', namespace: '', name: '' }, { metadata: {} }), { code: 400 });
  await t.rejects(s.create({ cluster: '*', resource: 'configmaps', namespace: '', name: 'a' }, { metadata: { name: 'a' } }), { code: 400 });
  await t.rejects(s.create({ cluster: 'c', resource: 'configmaps', namespace: '', name: 'a' }, [] as never), { code: 400 });
  await s.close();
});
