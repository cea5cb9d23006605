/**
 * Test helper: a tiny protobuf ENCODER, so tests build bodies from field numbers (as read from the
 * real generated.proto) instead of trusting the decoder's own tables.
 *
 *   msg(f(1, 'name'), f(2, 42), f(3, msg(...)), f(4, true))
 *
 * Strings and nested messages are length-delimited, numbers and booleans are varints.
 */
export type Field = Uint8Array;

export function varint(v: bigint | number): number[] {
  let u = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(u & 0x7fn);
    u >>= 7n;
    if (u > 0n) b |= 0x80;
    out.push(b);
  } while (u > 0n);
  return out;
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

/** One field: a string/bytes/message is length-delimited, a number/bigint/boolean a varint. */
export function f(num: number, value: string | Uint8Array | number | bigint | boolean): Field {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return concat([varint(num * 8), varint(typeof value === 'boolean' ? (value ? 1 : 0) : value)]);
  }
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return concat([varint(num * 8 + 2), varint(bytes.length), bytes]);
}

/** A message: its fields, concatenated. */
export function msg(...fields: Field[]): Uint8Array { return concat(fields); }

/** Map entries of a `map<string, V>` field. */
export function mapField(num: number, entries: Record<string, string | Uint8Array>): Field {
  return concat(Object.entries(entries).map(([k, v]) => f(num, msg(f(1, k), f(2, v)))));
}

/** The Kubernetes envelope: magic + runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra: Field[] = []): Buffer {
  return Buffer.from(concat([[0x6b, 0x38, 0x73, 0x00], msg(f(1, msg(f(1, apiVersion), f(2, kind))), f(2, raw), ...extra)]));
}
