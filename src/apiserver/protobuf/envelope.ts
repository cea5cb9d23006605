/**
 * The Kubernetes protobuf envelope (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the
 * 4-byte magic `k8s\0`, then a runtime.Unknown message
 *   { 1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType }
 * where raw is the object's own protobuf (its TypeMeta is not in it; it is here instead).
 */
import { badRequest } from '../../errors/status.js';
import { ProtoReader, WireType } from './wire.js';

export const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const utf8 = new TextDecoder('utf-8');

function hasMagic(body: Uint8Array): boolean {
  return body.length >= MAGIC.length && MAGIC.every((b, i) => body[i] === b);
}

function lengthDelimited(r: ProtoReader, wireType: WireType, what: string): Uint8Array {
  if (wireType !== WireType.LengthDelimited) throw badRequest(`the protobuf body is malformed: ${what} has wire type ${wireType}`);
  return r.readBytes();
}

function readTypeMeta(bytes: Uint8Array): { apiVersion: string; kind: string } {
  const r = new ProtoReader(bytes);
  let apiVersion = '';
  let kind = '';
  while (!r.eof()) {
    const { field, wireType } = r.readTag();
    if (field === 1) apiVersion = utf8.decode(lengthDelimited(r, wireType, 'typeMeta.apiVersion'));
    else if (field === 2) kind = utf8.decode(lengthDelimited(r, wireType, 'typeMeta.kind'));
    else r.skip(wireType, field);
  }
  return { apiVersion, kind };
}

export function readEnvelope(body: Uint8Array): Envelope {
  if (!hasMagic(body)) {
    throw badRequest('the protobuf body does not start with the Kubernetes magic prefix "k8s\\x00"');
  }
  const r = new ProtoReader(body, MAGIC.length);
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  while (!r.eof()) {
    const { field, wireType } = r.readTag();
    switch (field) {
      case 1: Object.assign(env, readTypeMeta(lengthDelimited(r, wireType, 'typeMeta'))); break;
      case 2: env.raw = lengthDelimited(r, wireType, 'raw'); break;
      case 3: env.contentEncoding = utf8.decode(lengthDelimited(r, wireType, 'contentEncoding')); break;
      case 4: env.contentType = utf8.decode(lengthDelimited(r, wireType, 'contentType')); break;
      default: r.skip(wireType, field);
    }
  }
  return env;
}
