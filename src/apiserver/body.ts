/**
 * Reading request bodies: bounded (3 MiB, as kube's default max request body), decoded as JSON or
 * YAML, with kube's wording for every failure.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../errors/status.js';
import { PROTOBUF_MEDIA_TYPE, decodeKubernetesProtobuf } from './protobuf/index.js';
import { assertNestingDepth, jsonTextExceedsDepth, tooDeeplyNested } from './limits.js';
import { decodeYamlBody, decodeYamlBodyAsync } from './yaml-body.js';

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

/**
 * Decodes a JSON body (or YAML when the content type says so). Empty bodies are undefined. YAML
 * deeper than this thread's stack holds is parsed in a worker (yaml-body.ts), hence the promise.
 */
export async function decodeBody(buf: Buffer, contentType: string | undefined): Promise<unknown> {
  const yaml = yamlText(buf, contentType);
  if (yaml === undefined) return decodeBodySync(buf, contentType);
  return yaml.json !== undefined ? yaml.json : decodeYamlBodyAsync(yaml.text);
}

/** decodeBody on this thread: YAML past what its stack holds is refused as too deep. */
export function decodeBodySync(buf: Buffer, contentType: string | undefined): unknown {
  const yaml = yamlText(buf, contentType);
  if (yaml !== undefined) return yaml.json !== undefined ? yaml.json : decodeYamlBody(yaml.text);
  if (buf.length === 0) return undefined;
  const ct = mediaType(contentType);
  // kubectl's typed commands (create configmap, create deployment…) send protobuf
  if (ct === PROTOBUF_MEDIA_TYPE) {
    const decoded = decodeKubernetesProtobuf(buf);
    assertNestingDepth(decoded);
    return decoded;
  }
  if (ct !== 'application/json' && !ct.endsWith('+json') && ct !== '' && ct !== '*/*') {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  const text = buf.toString('utf8');
  if (jsonTextExceedsDepth(text)) throw tooDeeplyNested();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type JSON): ${(e as Error).message}`);
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * A non-empty YAML body: already decoded when it is JSON (what clients, kubectl apply
 * --server-side among them, mostly send: the native parser is far faster and needs no stack per
 * level), else its text for the YAML parser.
 */
function yamlText(buf: Buffer, contentType: string | undefined): { json?: unknown; text: string } | undefined {
  if (buf.length === 0 || !mediaType(contentType).includes('yaml')) return undefined;
  const text = buf.toString('utf8');
  if (/^\s*\{/.test(text)) {
    if (jsonTextExceedsDepth(text)) throw tooDeeplyNested();
    try { return { json: JSON.parse(text), text }; } catch { /* not JSON after all: parse it as YAML */ }
  }
  return { text };
}

export function requireObject(v: unknown, what = 'the request body'): Record<string, any> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`${what} must be a JSON object`);
  }
  return v as Record<string, any>;
}
