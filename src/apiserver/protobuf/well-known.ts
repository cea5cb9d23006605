/**
 * Decoders for the apimachinery types whose JSON is not "an object of their fields": kube gives
 * them custom MarshalJSON, so a table cannot describe them. Each takes the message's bytes and
 * returns exactly what kube's JSON encoder would write.
 */
import { badRequest } from '../../errors/status.js';
import { ProtoReader, WireType } from './wire.js';

type Fields = Map<number, { wireType: WireType; value: bigint | Uint8Array }[]>;

/** Reads a flat message into field → values (last one wins for singular fields). */
function readFields(bytes: Uint8Array): Fields {
  const r = new ProtoReader(bytes);
  const out: Fields = new Map();
  while (!r.eof()) {
    const { field, wireType } = r.readTag();
    let value: bigint | Uint8Array;
    if (wireType === WireType.Varint) value = r.readVarint();
    else if (wireType === WireType.LengthDelimited) value = r.readBytes();
    else { r.skip(wireType, field); continue; }
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push({ wireType, value });
  }
  return out;
}

function varint(f: Fields, n: number): bigint {
  const v = f.get(n)?.at(-1)?.value;
  return typeof v === 'bigint' ? v : 0n;
}

function bytes(f: Fields, n: number): Uint8Array | undefined {
  const v = f.get(n)?.at(-1)?.value;
  return v instanceof Uint8Array ? v : undefined;
}

const utf8 = new TextDecoder('utf-8');

function text(f: Fields, n: number): string {
  const b = bytes(f, n);
  return b ? utf8.decode(b) : '';
}

function pad(n: number, width: number): string { return String(n).padStart(width, '0'); }

/** Go's RFC3339 in UTC, optionally with microseconds (metav1.MicroTime). */
function rfc3339(seconds: bigint, micros?: number): string {
  const ms = Number(seconds) * 1000;
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) {
    throw badRequest(`the protobuf body is malformed: timestamp ${seconds} seconds is outside years 0-9999`);
  }
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return micros === undefined ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

/** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  const frac = (v: bigint, digits: number): string => {
    const unit = 10n ** BigInt(digits);
    const f = (v % unit).toString().padStart(digits, '0').replace(/0+$/, '');
    return `${v / unit}${f ? `.${f}` : ''}`;
  };
  if (u < 1_000_000_000n) {
    if (u < 1000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${frac(u, 3)}µs`;
    return `${sign}${frac(u, 6)}ms`;
  }
  let out = `${frac(u % 60_000_000_000n, 9)}s`;
  u /= 60_000_000_000n;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return sign + out;
}

function parseRawJSON(raw: Uint8Array | undefined, what: string): unknown {
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(utf8.decode(raw));
  } catch {
    throw badRequest(`the protobuf body is malformed: ${what} does not hold JSON`);
  }
}

export const WELL_KNOWN_DECODERS: Readonly<Record<string, (b: Uint8Array) => unknown>> = {
  // kube drops the nanos of a metav1.Time when it reads protobuf (Time.Unmarshal), so do we.
  // An empty message is the zero time, which kube writes as null.
  'meta.v1.Time': (b) => (b.length === 0 ? null : rfc3339(BigInt.asIntN(64, varint(readFields(b), 1)))),
  'meta.v1.MicroTime': (b) => {
    if (b.length === 0) return null;
    const f = readFields(b);
    const nanos = Number(BigInt.asIntN(32, varint(f, 2)));
    return rfc3339(BigInt.asIntN(64, varint(f, 1)), Math.max(0, Math.floor(nanos / 1000)) % 1_000_000);
  },
  'meta.v1.Duration': (b) => goDuration(BigInt.asIntN(64, varint(readFields(b), 1))),
  'meta.v1.FieldsV1': (b) => parseRawJSON(bytes(readFields(b), 1), 'FieldsV1'),
  'runtime.RawExtension': (b) => parseRawJSON(bytes(readFields(b), 1), 'RawExtension'),
  // type 1 is intstr.String; anything else is an int.
  'intstr.IntOrString': (b) => {
    const f = readFields(b);
    return varint(f, 1) === 1n ? text(f, 3) : Number(BigInt.asIntN(32, varint(f, 2)));
  },
  // The zero Quantity serializes as "0".
  'resource.Quantity': (b) => text(readFields(b), 1) || '0',
  // Named []string types, wrapped in a message with `repeated string items = 1`.
  'meta.v1.Verbs': stringList,
  'authentication.v1.ExtraValue': stringList,
  'authorization.v1.ExtraValue': stringList,
};

function stringList(b: Uint8Array): string[] {
  return (readFields(b).get(1) ?? []).map((v) => (v.value instanceof Uint8Array ? utf8.decode(v.value) : ''));
}
