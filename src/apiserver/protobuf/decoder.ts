/**
 * Table-driven protobuf → JSON: walks a message's fields with its schema (schemas/) and builds the
 * object kube's JSON encoder would write for the same Go struct. Unknown field numbers are skipped
 * (a newer kubectl may send fields we do not know); a known field with the wrong wire type is a
 * 400, because then the bytes are not what the sender meant.
 */
import { badRequest } from '../../errors/status.js';
import type { FieldEntry, MessageSchema } from './schema.js';
import { MESSAGES } from './schemas/index.js';
import { WELL_KNOWN_DECODERS } from './well-known.js';
import { ProtoReader, WireType } from './wire.js';

/** Deeper than any real object; stops hostile nesting from exhausting the stack. */
const MAX_DEPTH = 64;

const utf8 = new TextDecoder('utf-8');

interface ParsedField {
  name: string; type: string; repeated: boolean; inline: boolean; keepZero: boolean; nullWhenAbsent: boolean;
  map?: [string, string];
}

const parsedCache = new Map<string, Map<number, ParsedField>>();

function parsed(typeName: string, schema: MessageSchema): Map<number, ParsedField> {
  let fields = parsedCache.get(typeName);
  if (fields) return fields;
  fields = new Map();
  for (const [num, [name, type, flags = '']] of Object.entries(schema) as [string, FieldEntry][]) {
    const m = /^map<([^,]+),(.+)>$/.exec(type);
    fields.set(Number(num), {
      name, type, repeated: flags.includes('r'), inline: flags.includes('i'), keepZero: flags.includes('z'),
      nullWhenAbsent: flags.includes('n'),
      map: m ? [m[1], m[2]] : undefined,
    });
  }
  parsedCache.set(typeName, fields);
  return fields;
}

export function isKnownMessage(typeName: string): boolean {
  return Object.hasOwn(MESSAGES, typeName) || Object.hasOwn(WELL_KNOWN_DECODERS, typeName);
}

const SCALAR_WIRE: Readonly<Record<string, WireType>> = {
  string: WireType.LengthDelimited, bytes: WireType.LengthDelimited,
  bool: WireType.Varint, int32: WireType.Varint, int64: WireType.Varint, uint32: WireType.Varint,
  uint64: WireType.Varint, sint32: WireType.Varint, sint64: WireType.Varint,
  double: WireType.Fixed64, fixed64: WireType.Fixed64, float: WireType.Fixed32, fixed32: WireType.Fixed32,
};

function isScalar(type: string): boolean { return Object.hasOwn(SCALAR_WIRE, type); }

function expectedWire(type: string): WireType {
  return isScalar(type) ? SCALAR_WIRE[type] : WireType.LengthDelimited;
}

function zigzag(v: bigint): bigint { return (v >> 1n) ^ -(v & 1n); }

/** One scalar value already positioned at in `r`, whose wire type has been checked. */
function readScalar(r: ProtoReader, type: string): unknown {
  switch (type) {
    case 'string': return utf8.decode(r.readBytes());
    case 'bytes': { const b = r.readBytes(); return Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64'); }
    case 'bool': return r.readVarint() !== 0n;
    case 'int32': return Number(BigInt.asIntN(32, r.readVarint()));
    case 'int64': return Number(BigInt.asIntN(64, r.readVarint()));
    case 'uint32': return Number(BigInt.asUintN(32, r.readVarint()));
    case 'uint64': return Number(r.readVarint());
    case 'sint32': return Number(BigInt.asIntN(32, zigzag(r.readVarint())));
    case 'sint64': return Number(BigInt.asIntN(64, zigzag(r.readVarint())));
    case 'double': return r.readFixed64().getFloat64(0, true);
    case 'fixed64': return Number(r.readFixed64().getBigUint64(0, true));
    case 'float': return r.readFixed32().getFloat32(0, true);
    case 'fixed32': return r.readFixed32().getUint32(0, true);
  }
  throw new Error(`unreachable: scalar type ${type}`);
}

function isZero(v: unknown): boolean { return v === '' || v === 0 || v === false; }

/** A value of `type` (scalar or message) at the reader's position. */
function readValue(r: ProtoReader, type: string, depth: number): unknown {
  if (isScalar(type)) return readScalar(r, type);
  return decodeMessageBytes(r.readBytes(), type, depth + 1);
}

/** The value of a missing map entry part: what Go's zero value would serialize to. */
function zeroValue(type: string, depth: number): unknown {
  switch (type) {
    case 'string': case 'bytes': return '';
    case 'bool': return false;
  }
  return isScalar(type) ? 0 : decodeMessageBytes(new Uint8Array(0), type, depth + 1);
}

function readMapEntry(bytes: Uint8Array, [keyType, valueType]: [string, string], owner: string, depth: number): [string, unknown] {
  const r = new ProtoReader(bytes);
  let key: unknown;
  let value: unknown;
  let hasValue = false;
  while (!r.eof()) {
    const { field, wireType } = r.readTag();
    const type = field === 1 ? keyType : field === 2 ? valueType : undefined;
    if (!type) { r.skip(wireType, field); continue; }
    if (wireType !== expectedWire(type)) throw badRequest(`the protobuf body is malformed: map entry of ${owner} field ${field} has wire type ${wireType}`);
    if (field === 1) key = readScalar(r, keyType);
    else { value = readValue(r, valueType, depth); hasValue = true; }
  }
  return [String(key ?? zeroValue(keyType, depth)), hasValue ? value : zeroValue(valueType, depth)];
}

/** Decodes the bytes of one message of `typeName` (a table or well-known message). */
export function decodeMessageBytes(bytes: Uint8Array, typeName: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw badRequest(`the protobuf body is malformed: nested deeper than ${MAX_DEPTH} messages`);
  const special = WELL_KNOWN_DECODERS[typeName];
  if (special) return special(bytes);
  const schema = MESSAGES[typeName];
  // Only reachable if a table names a type it does not define: a generator bug, not bad input.
  if (!schema) throw badRequest(`protobuf message ${typeName} is not known to this server`);
  return decodeFields(bytes, typeName, parsed(typeName, schema), depth);
}

function decodeFields(bytes: Uint8Array, typeName: string, fields: Map<number, ParsedField>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new ProtoReader(bytes);
  while (!r.eof()) {
    const { field, wireType } = r.readTag();
    const f = fields.get(field);
    if (!f) { r.skip(wireType, field); continue; }

    if (f.map) {
      if (wireType !== WireType.LengthDelimited) throw wrongWire(typeName, f, wireType);
      const [k, v] = readMapEntry(r.readBytes(), f.map, `${typeName}.${f.name}`, depth);
      const m = (out[f.name] ??= {}) as Record<string, unknown>;
      Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }

    const want = expectedWire(f.type);
    if (f.repeated && wireType === WireType.LengthDelimited && want !== WireType.LengthDelimited) {
      // Packed repeated scalars: proto2 senders rarely pack, but a conforming reader accepts both.
      const packed = new ProtoReader(r.readBytes());
      const list = (out[f.name] ??= []) as unknown[];
      while (!packed.eof()) list.push(readScalar(packed, f.type));
      continue;
    }
    if (wireType !== want) throw wrongWire(typeName, f, wireType);

    const value = readValue(r, f.type, depth);
    if (f.repeated) {
      ((out[f.name] ??= []) as unknown[]).push(value);
    } else if (f.inline) {
      Object.assign(out, value);
    } else if (isScalar(f.type) && !f.keepZero && isZero(value)) {
      // Go's omitempty: kube would not write this zero, so neither do we (a later zero clears an earlier value).
      delete out[f.name];
    } else {
      out[f.name] = value;
    }
  }
  for (const f of fields.values()) if (f.nullWhenAbsent && !Object.hasOwn(out, f.name)) out[f.name] = null;
  return out;
}

function wrongWire(typeName: string, f: ParsedField, got: WireType): Error {
  return badRequest(`the protobuf body is malformed: ${typeName}.${f.name} has wire type ${got}, expected ${expectedWire(f.type)}`);
}
