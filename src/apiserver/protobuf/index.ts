/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies into the JSON object kube would
 * have produced. kubectl's typed commands (`kubectl create configmap|secret|deployment|...`) send
 * protobuf; everything after body decoding in this server works on JSON.
 */
import { badRequest, isStatusError, unsupportedMediaType } from '../../errors/status.js';
import { decodeMessageBytes } from './decoder.js';
import { readEnvelope } from './envelope.js';
import { messageForKind } from './kinds.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export { messageForKind } from './kinds.js';
export { MAGIC } from './envelope.js';

/**
 * The JSON object (with apiVersion and kind from the envelope) a protobuf body encodes. Throws a
 * StatusError: 400 for malformed bytes, 415 for a kind or encoding this server cannot read.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  try {
    return decode(body);
  } catch (e) {
    if (isStatusError(e)) throw e;
    // Defence in depth: whatever slipped through is still the client's bad bytes, not a 500.
    throw badRequest(`the protobuf body could not be decoded: ${(e as Error).message}`);
  }
}

function decode(body: Uint8Array): Record<string, unknown> {
  const env = readEnvelope(body);
  if (env.contentEncoding !== '') {
    throw unsupportedMediaType(`protobuf bodies with content encoding "${env.contentEncoding}" are not supported`);
  }
  if (!env.kind || !env.apiVersion) {
    throw badRequest('the protobuf body does not name its apiVersion and kind');
  }
  const ct = env.contentType.split(';')[0].trim().toLowerCase();
  if (ct === 'application/json') {
    // An envelope may carry JSON; then apiVersion/kind are in it already, but the envelope's win.
    return { ...parseJSONObject(env.raw), apiVersion: env.apiVersion, kind: env.kind };
  }
  if (ct !== '' && ct !== PROTOBUF_MEDIA_TYPE) {
    throw unsupportedMediaType(`protobuf envelope content type "${env.contentType}" is not supported`);
  }
  const message = messageForKind(env.apiVersion, env.kind);
  if (!message) {
    throw unsupportedMediaType(
      `this server cannot decode protobuf bodies of kind ${env.kind} (${env.apiVersion}); send JSON instead, ` +
      `e.g. \`kubectl create ... --dry-run=client -o json | kubectl create -f -\` or \`kubectl apply -f\``);
  }
  const obj = decodeMessageBytes(env.raw, message) as Record<string, unknown>;
  return { apiVersion: env.apiVersion, kind: env.kind, ...obj };
}

function parseJSONObject(raw: Uint8Array): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw badRequest(`the protobuf envelope says JSON but its content is not: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest('the protobuf envelope content is not a JSON object');
  return v as Record<string, unknown>;
}
