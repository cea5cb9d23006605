/**
 * Protobuf wire-format reader over a Uint8Array: varints, length-delimited fields, fixed32/64 and
 * skipping of fields we do not know. Every malformed input (truncated varint, a length past the
 * end, an impossible wire type) is a 400 BadRequest, never a RangeError: request bodies are
 * attacker-controlled.
 */
import { badRequest } from '../../errors/status.js';

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

export interface Tag { field: number; wireType: WireType }

function malformed(what: string, pos: number): Error {
  return badRequest(`the protobuf body is malformed: ${what} at byte ${pos}`);
}

export class ProtoReader {
  pos: number;
  readonly end: number;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  eof(): boolean { return this.pos >= this.end; }

  /** An unsigned varint of up to 64 bits. BigInt because int64 and negative int32 use all 10 bytes. */
  readVarint(): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('truncated varint', start);
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw malformed('varint longer than 10 bytes', start);
  }

  /** A varint known to be small (tags, lengths): a plain number, bounded to stay exact. */
  readSmallVarint(): number {
    const start = this.pos;
    const v = this.readVarint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('varint too large for a tag or length', start);
    return Number(v);
  }

  readTag(): Tag {
    const start = this.pos;
    const key = this.readSmallVarint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 0) throw malformed('field number 0', start);
    if (wireType > 5) throw malformed(`wire type ${wireType}`, start);
    return { field, wireType };
  }

  /** The bytes of a length-delimited field, as a view (no copy). */
  readBytes(): Uint8Array {
    const start = this.pos;
    const len = this.readSmallVarint();
    if (len > this.end - this.pos) throw malformed(`length ${len} runs past the end`, start);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  readFixed32(): DataView {
    return this.fixed(4);
  }

  readFixed64(): DataView {
    return this.fixed(8);
  }

  private fixed(n: number): DataView {
    if (this.end - this.pos < n) throw malformed(`truncated fixed${n * 8}`, this.pos);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return view;
  }

  /** Skips the value of a field we have no schema for. */
  skip(wireType: WireType, field: number): void {
    switch (wireType) {
      case WireType.Varint: this.readVarint(); return;
      case WireType.Fixed64: this.fixed(8); return;
      case WireType.LengthDelimited: this.readBytes(); return;
      case WireType.Fixed32: this.fixed(4); return;
      case WireType.StartGroup: {
        // Deprecated groups: nothing in Kubernetes uses them, but skipping is cheap and correct.
        // Groups nest without a length, so a body can open a million of them: the open ones are
        // a stack here, as in gogo-protobuf's skipGenerated, not a call per level.
        const open = [field];
        while (open.length) {
          const inner = open[open.length - 1];
          if (this.eof()) throw malformed(`unterminated group ${inner}`, this.pos);
          const t = this.readTag();
          if (t.wireType === WireType.EndGroup) {
            if (t.field !== inner) throw malformed(`group ${inner} ended by ${t.field}`, this.pos);
            open.pop();
          } else if (t.wireType === WireType.StartGroup) {
            open.push(t.field);
          } else {
            this.skip(t.wireType, t.field);
          }
        }
        return;
      }
      case WireType.EndGroup: throw malformed(`unexpected end of group ${field}`, this.pos);
    }
  }
}
