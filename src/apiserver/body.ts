/**
 * Reading request bodies: bounded (3 MiB, as kube's default max request body), decoded as JSON or
 * YAML, with kube's wording for every failure.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYAML } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../errors/status.js';
import { PROTOBUF_MEDIA_TYPE, decodeKubernetesProtobuf } from './protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw requestEntityTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw requestEntityTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** Decodes a JSON body (or YAML when the content type says so). Empty bodies are undefined. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  if (buf.length === 0) return undefined;
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  // kubectl's typed commands (create configmap, create deployment…) send protobuf
  if (ct === PROTOBUF_MEDIA_TYPE) return decodeKubernetesProtobuf(buf);
  const text = buf.toString('utf8');
  if (ct.includes('yaml')) {
    try {
      return parseYAML(text, { strict: true, uniqueKeys: true });
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (ct !== 'application/json' && !ct.endsWith('+json') && ct !== '' && ct !== '*/*') {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
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
