import t from 'tap';
import { isStatusError } from '../../../src/errors/status.js';
import { ProtoReader, WireType } from '../../../src/apiserver/protobuf/wire.js';
import { f, msg, varint } from './encoder.js';

function badRequest(fn: () => unknown): boolean {
  try { fn(); return false; } catch (e) { return isStatusError(e) && e.code === 400; }
}

t.test('varints: small, multi-byte, 64-bit and negative int32 as 10 bytes', async (t) => {
  for (const v of [0n, 1n, 127n, 128n, 300n, 2n ** 53n, 2n ** 64n - 1n]) {
    t.equal(new ProtoReader(Uint8Array.from(varint(v))).readVarint(), v, `round-trips ${v}`);
  }
  const neg = Uint8Array.from(varint(-1));
  t.equal(neg.length, 10, 'negative numbers take 10 bytes, as Go writes int32(-1)');
  t.equal(BigInt.asIntN(32, new ProtoReader(neg).readVarint()), -1n);
});

t.test('tags, length-delimited and fixed fields', async (t) => {
  const fixed = Uint8Array.of(5 * 8 + 5, 1, 0, 0, 0, 6 * 8 + 1, 2, 0, 0, 0, 0, 0, 0, 0);
  const r = new ProtoReader(msg(f(3, 'hi'), fixed));
  t.same(r.readTag(), { field: 3, wireType: WireType.LengthDelimited });
  t.equal(new TextDecoder().decode(r.readBytes()), 'hi');
  t.same(r.readTag(), { field: 5, wireType: WireType.Fixed32 });
  t.equal(r.readFixed32().getUint32(0, true), 1);
  t.same(r.readTag(), { field: 6, wireType: WireType.Fixed64 });
  t.equal(r.readFixed64().getBigUint64(0, true), 2n);
  t.ok(r.eof());
});

t.test('skip passes over every wire type, groups included', async (t) => {
  const group = Uint8Array.of(7 * 8 + 3, 1 * 8 + 0, 5, 7 * 8 + 4);
  const r = new ProtoReader(msg(f(1, 99), f(2, 'xx'), group, f(9, 'end')));
  for (let i = 0; i < 3; i++) { const { field, wireType } = r.readTag(); r.skip(wireType, field); }
  t.same(r.readTag(), { field: 9, wireType: WireType.LengthDelimited });
});

t.test('groups nested a million deep are skipped, as gogo-protobuf\'s skipGenerated does', async (t) => {
  const depth = 1_000_000;
  const bytes = new Uint8Array(depth * 2 + 2);
  bytes.fill(7 * 8 + 3, 0, depth); // start group 7, `depth` times
  bytes.fill(7 * 8 + 4, depth, depth * 2); // and as many ends
  bytes.set([9 * 8 + 0, 1], depth * 2);
  const r = new ProtoReader(bytes);
  const { field, wireType } = r.readTag();
  r.skip(wireType, field);
  t.same(r.readTag(), { field: 9, wireType: WireType.Varint }, 'reads on after the group');
  const unbalanced = bytes.slice(0, depth * 2 - 1);
  t.ok(badRequest(() => { const u = new ProtoReader(unbalanced); const tag = u.readTag(); u.skip(tag.wireType, tag.field); }), 'one end missing: 400');
});

t.test('malformed input is a 400, never a RangeError', async (t) => {
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(0x80, 0x80)).readVarint()), 'truncated varint');
  t.ok(badRequest(() => new ProtoReader(new Uint8Array(11).fill(0xff)).readVarint()), 'varint over 10 bytes');
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(10, 5, 1)).readTag() && new ProtoReader(Uint8Array.of(5, 1)).readBytes()), 'length past the end');
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(0x0e)).readTag()), 'wire type 6');
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(0x02)).readTag()), 'field number 0');
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(1, 2)).readFixed32()), 'truncated fixed32');
  t.ok(badRequest(() => new ProtoReader(Uint8Array.of(8 * 7 + 3, 8, 1)).skip(WireType.StartGroup, 7)), 'unterminated group');
});
