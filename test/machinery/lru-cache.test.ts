import t from 'tap';
import { LruCache } from '../../src/machinery/lru-cache.js';
import { ResourceCatalog } from '../../src/registry/catalog.js';
import { builtinResourceDefs } from '../../src/registry/builtin/index.js';

t.test('LruCache: a full cache drops the least recently used entry, one at a time', async (t) => {
  const cache = new LruCache<string, number>(3);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  t.equal(cache.get('a'), 1, 'reading a makes it the most recently used');
  cache.set('d', 4);
  t.equal(cache.size, 3);
  t.notOk(cache.has('b'), 'b, the least recently used, went first');
  t.same(['a', 'c', 'd'].map((k) => cache.get(k)), [1, 3, 4], 'the others stayed');
  cache.set('c', 30);
  cache.set('e', 5);
  t.notOk(cache.has('a'), 'after reading a, c, d and rewriting c, a is the oldest');
  t.same(['c', 'd', 'e'].map((k) => cache.get(k)), [30, 4, 5]);
  t.equal(cache.get('zz'), undefined);
  t.same([cache.hits, cache.misses], [7, 1]);
  cache.clear();
  t.equal(cache.size, 0);
  t.throws(() => new LruCache(0), RangeError);
});

t.test('the catalog keeps a busy cluster\'s index while more than 10 000 others pass through', async (t) => {
  const builtins = builtinResourceDefs();
  // every cluster serves one resource more than the built-ins, so each has an index of its own
  const extra = { ...builtins[0], group: 'example.com' };
  const catalog = new ResourceCatalog(builtins, [{ defsFor: () => [extra], generation: () => 0 }]);
  const busy = catalog.all('root');
  for (let i = 0; i < 10_100; i++) {
    catalog.all(`c${i}`);
    if (i % 2000 === 0) t.ok(catalog.all('root') === busy, `same index after ${i} others`);
  }
  t.ok(catalog.all('root') === busy, 'never rebuilt: the cache did not empty itself when full');
});
