import t from 'tap';
import { LineSplitter } from '../../src/client/line-splitter.js';

t.test('splits newline-delimited JSON however the chunks cut it', async (t) => {
  const events = Array.from({ length: 50 }, (_, i) => ({ type: 'ADDED', object: { n: i, s: 'é€𝄞'.repeat(i % 4) } }));
  const wire = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  for (const size of [1, 2, 3, 7, 64, 1000, wire.length]) {
    const got: unknown[] = [];
    const splitter = new LineSplitter((o) => got.push(o));
    for (let i = 0; i < wire.length; i += size) splitter.push(wire.subarray(i, i + size));
    splitter.end();
    t.same(got, events, `chunks of ${size} bytes (multi-byte characters cut too)`);
  }
});

t.test('a final line without newline is flushed at end; blank and bad lines do not stop the stream', async (t) => {
  const got: unknown[] = [];
  const bad: string[] = [];
  const splitter = new LineSplitter((o) => got.push(o), (l) => bad.push(l));
  splitter.push('{"a":1}\n\n  \n{not json}\n{"b":');
  splitter.push('2}\n{"c":3}');
  t.same(got, [{ a: 1 }, { b: 2 }]);
  splitter.end();
  t.same(got, [{ a: 1 }, { b: 2 }, { c: 3 }]);
  t.same(bad, ['{not json}']);
});

t.test('a large object cut into many chunks, multi-byte characters across the cuts, arrives whole', async (t) => {
  const big = { items: Array.from({ length: 5000 }, (_, i) => ({ name: `clüster-${i}`, note: 'ü€😀' })) };
  const wire = Buffer.from(`${JSON.stringify(big)}\n${JSON.stringify({ after: true })}\n`);
  const got: unknown[] = [];
  const s = new LineSplitter((o) => got.push(o));
  for (let i = 0; i < wire.length; i += 997) s.push(wire.subarray(i, i + 997));
  s.end();
  t.same(got, [big, { after: true }]);
});
