import t from 'tap';
import { CachedRows } from '../../src/storage/cached-rows.js';
import { MemoryRows } from '../../src/storage/memory.js';
import type { RowWrite } from '../../src/storage/rows.js';
import type { ObjectKey } from '../../src/storage/types.js';

const key = (name: string): ObjectKey => ({ cluster: 'root', resource: 'configmaps', namespace: 'ns', name });

/** MemoryRows with a group commit, counting the reads that reach it. */
class CountingRows extends MemoryRows {
  reads = 0;
  failNext = false;
  override read(k: ObjectKey) { this.reads++; return super.read(k); }
  applyBatch(writes: RowWrite[]): void {
    if (this.failNext) { this.failNext = false; throw new Error('disk full'); }
    for (const w of writes) {
      if (w.kind === 'put') super.put(w.key, w.text, w.rv);
      else super.remove(w.key, w.rv);
    }
  }
}

t.test('a row read once is answered from memory until a write to it commits', async (t) => {
  const inner = new CountingRows();
  const rows = new CachedRows(inner);
  inner.put(key('a'), '{"v":1}', 1);
  t.match(rows.read(key('a')), { text: '{"v":1}', rv: 1 });
  t.match(rows.read(key('a')), { text: '{"v":1}', rv: 1 });
  t.equal(inner.reads, 1, 'the second read did not reach the backend');

  rows.put(key('a'), '{"v":2}', 2);
  t.match(rows.read(key('a')), { text: '{"v":2}', rv: 2 }, 'put: the committed text');
  rows.applyBatch!([{ kind: 'put', key: key('a'), text: '{"v":3}', rv: 3 }]);
  t.match(rows.read(key('a')), { text: '{"v":3}', rv: 3 }, 'group commit: the committed text');
  rows.applyBatch!([{ kind: 'remove', key: key('a'), rv: 4 }]);
  t.equal(rows.read(key('a')), undefined, 'removed in a batch: gone');
  rows.put(key('b'), '{"b":1}', 5);
  t.match(rows.read(key('b')), { text: '{"b":1}', rv: 5 });
  rows.remove(key('b'), 6);
  t.equal(rows.read(key('b')), undefined, 'removed: gone');
  t.equal(rows.revision(), 6);
});

t.test('a commit that fails leaves the committed text cached', async (t) => {
  const inner = new CountingRows();
  const rows = new CachedRows(inner);
  inner.put(key('a'), '{"v":1}', 1);
  rows.read(key('a'));
  inner.failNext = true;
  t.throws(() => rows.applyBatch!([{ kind: 'put', key: key('a'), text: '{"v":2}', rv: 2 }]), /disk full/);
  t.match(rows.read(key('a')), { text: '{"v":1}', rv: 1 });
  t.match(inner.read(key('a')), { text: '{"v":1}', rv: 1 }, 'and that is what the backend holds');
});

t.test('bounded by entries and by characters, oldest first', async (t) => {
  const inner = new CountingRows();
  const rows = new CachedRows(inner, { maxEntries: 3, maxChars: 20 });
  for (const n of ['a', 'b', 'c', 'd']) inner.put(key(n), `"${n}"`, 1);
  for (const n of ['a', 'b', 'c', 'd']) rows.read(key(n));
  t.equal(rows.size, 3);
  inner.reads = 0;
  rows.read(key('d'));
  t.equal(inner.reads, 0, 'the newest stayed');
  rows.read(key('a'));
  t.equal(inner.reads, 1, 'the oldest was dropped');

  inner.put(key('big'), `"${'x'.repeat(30)}"`, 2);
  rows.read(key('big'));
  rows.read(key('big'));
  t.equal(inner.reads, 3, 'a row longer than the whole budget is never kept');
  inner.put(key('mid'), `"${'y'.repeat(14)}"`, 3);
  rows.read(key('mid'));
  t.ok(rows.size <= 2, 'the character budget evicts others');
});
