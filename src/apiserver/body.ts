/**
 * Reading request bodies: bounded (3 MiB, as kube's default max request body), decoded as JSON or
 * YAML, with kube's wording for every failure.
 */
import type { IncomingMessage } from 'node:http';
import { CORE_SCHEMA, load as loadYAML } from 'js-yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../errors/status.js';
import { PROTOBUF_MEDIA_TYPE, decodeKubernetesProtobuf } from './protobuf/index.js';
import { assertNestingDepth, jsonSizeAtLeast, jsonTextExceedsDepth, MAX_NESTING_DEPTH, MAX_OBJECT_BYTES, objectTooLarge, tooDeeplyNested } from './limits.js';
import { stringifyJSON } from '../machinery/json-text.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * How much of an oversized body we read and discard before answering 413. Clients that write the
 * whole body before reading (Python's http.client, curl without Expect) would otherwise see the
 * connection reset under them and lose the Status; past this cap (or the timeout) we close anyway.
 */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    await drain(req, 0);
    throw requestEntityTooLarge(limit);
  }
  // listeners rather than for-await: leaving a for-await loop early destroys the socket, and the
  // client that is still sending would then see a reset instead of our 413
  const body = await new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) { cleanup(); resolve(undefined); return; }
      chunks.push(c);
    };
    const onEnd = () => { cleanup(); resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)); };
    const onError = (e: Error) => { cleanup(); reject(e); };
    req.on('data', onData); req.on('end', onEnd); req.on('error', onError);
    if (req.readableEnded) onEnd();
  });
  if (body === undefined) {
    await drain(req, limit);
    throw requestEntityTooLarge(limit);
  }
  return body;
}

/** Reads and drops the rest of the body, up to MAX_DRAIN_BYTES in all or the timeout. */
function drain(req: IncomingMessage, alreadyRead: number): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = alreadyRead;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData); req.off('end', done); req.off('close', done); req.off('error', done);
      resolve();
    };
    const onData = (c: Buffer) => {
      seen += c.length;
      if (seen > MAX_DRAIN_BYTES) { req.pause(); done(); }
    };
    const timer = setTimeout(done, DRAIN_TIMEOUT_MS);
    req.on('data', onData); req.on('end', done); req.on('close', done); req.on('error', done);
    req.resume();
  });
}

/** Decodes a JSON body (or YAML when the content type says so). Empty bodies are undefined. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  if (buf.length === 0) return undefined;
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  // kubectl's typed commands (create configmap, create deployment…) send protobuf
  if (ct === PROTOBUF_MEDIA_TYPE) {
    const decoded = decodeKubernetesProtobuf(buf);
    assertNestingDepth(decoded);
    return decoded;
  }
  const text = buf.toString('utf8');
  if (ct.includes('yaml')) {
    // clients (kubectl apply --server-side among them) mostly send JSON, which is YAML too: the
    // native parser is far faster and needs no stack per level
    if (/^\s*\{/.test(text)) {
      if (jsonTextExceedsDepth(text)) throw tooDeeplyNested();
      try { return JSON.parse(text); } catch { /* not JSON after all: parse it as YAML */ }
    }
    let decoded: unknown;
    try {
      // js-yaml rather than the yaml package here: its duplicate-key check is a hash lookup, where
      // yaml's uniqueKeys compares each key with every earlier one (a 50 000-key map took minutes),
      // and it parses several times faster. The core schema, as YAML 1.2 and kube: no timestamps.
      // js-yaml refuses more than 100 levels unless told otherwise; ours is kube's limit
      decoded = loadYAML(text, { schema: CORE_SCHEMA, maxDepth: MAX_NESTING_DEPTH });
    } catch (e) {
      if (/exceeded maxDepth/.test((e as Error).message)) throw tooDeeplyNested();
      // the parser recurses per flow level and overflows past about 4 000 of them, within the
      // limit: refused as too deep all the same (docs/security.md), not a 500
      if (e instanceof RangeError || /call stack/.test((e as Error).message)) throw tooDeeplyNested();
      throw badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    // aliases share subtrees: a few lines can stand for gigabytes once expanded (CVE-2019-11253).
    // Measure the expansion (a walk that stops at the limit) before anything else walks it.
    const size = jsonSizeAtLeast(decoded, MAX_OBJECT_BYTES);
    if (size > MAX_OBJECT_BYTES) throw objectTooLarge(size);
    assertNestingDepth(decoded);
    // unshare aliased subtrees, so that editing one place never edits another
    return text.includes('*') ? JSON.parse(stringifyJSON(decoded)) : decoded;
  }
  if (ct !== 'application/json' && !ct.endsWith('+json') && ct !== '' && ct !== '*/*') {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  if (jsonTextExceedsDepth(text)) throw tooDeeplyNested();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type JSON): ${(e as Error).message}`);
  }
}

export function requireObject(v: unknown, what = 'the request body'): Record<string, any> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`${what} must be a JSON object`);
  }
  return v as Record<string, any>;
}
