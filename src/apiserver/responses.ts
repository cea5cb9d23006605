/**
 * Writing responses on raw node:http objects (the hot path avoids express's response helpers).
 * Every error leaves through writeError, so each one is a metav1.Status with a stable reason.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, internalError, orderedDetails, type Status } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { stringifyJSON } from '../machinery/json-text.js';

/** A JSON body as kube's encoder writes it (json.Encoder: one trailing newline). */
export function writeJSON(res: ServerResponse, code: number, body: unknown, warnings?: string[]): void {
  const text = stringifyJSON(body) + '\n';
  writeRaw(res, code, text, 'application/json', warnings);
}

/**
 * Above this size a body is encoded once into a Buffer: measuring a string's byte length and then
 * letting the socket encode it walks a large list twice. Smaller bodies stay strings, which node
 * sends in one write together with the headers.
 */
const ENCODE_ONCE_BYTES = 16 * 1024;

export function writeRaw(res: ServerResponse, code: number, text: string, contentType: string, warnings?: string[]): void {
  if (res.headersSent) return;
  const body: string | Buffer = text.length > ENCODE_ONCE_BYTES ? Buffer.from(text) : text;
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings && warnings.length) headers['Warning'] = boundedWarnings(warnings).map(warningHeader);
  // an unread oversized body leaves the connection in an unknown state: tell the client not to reuse it
  if (code === 413) headers['Connection'] = 'close';
  res.writeHead(code, headers);
  res.end(body);
}

/**
 * kube's warning recorder budget (endpoints/filters/warning.go): 4 KiB of warning text in all; past
 * it each warning is cut to 256 characters, then the rest dropped. Without it, a body with
 * thousands of unknown fields answered with more header than any client will read.
 */
const WARNINGS_TOTAL_CHARS = 4 * 1024;
const WARNING_TRUNCATED_CHARS = 256;

function boundedWarnings(warnings: string[]): string[] {
  let total = 0;
  for (const w of warnings) total += w.length;
  if (total <= WARNINGS_TOTAL_CHARS) return warnings;
  const out: string[] = [];
  total = 0;
  for (const w of warnings) {
    const cut = w.length > WARNING_TRUNCATED_CHARS ? w.slice(0, WARNING_TRUNCATED_CHARS) : w;
    if (total + cut.length > WARNINGS_TOTAL_CHARS) break;
    out.push(cut);
    total += cut.length;
  }
  return out;
}

/** `Warning: 299 - "text"`, as apimachinery's NewWarningHeader writes it. */
export function warningHeader(text: string): string {
  // header values must be Latin-1 (node throws otherwise): escape everything past ASCII, as Go's
  // strconv.Quote does for what it cannot print
  const quoted = JSON.stringify(text.replace(/[\r\n]+/g, ' '));
  return `299 - ${quoted.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`;
}

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser style errors carry a status; anything else is a server bug
  // only decodeURIComponent throws these here, on a client's malformed percent-encoding
  if (err instanceof URIError) return new StatusError(400, 'BadRequest', `malformed URL escape in the request path or query: ${err.message}`);
  if (e && e.type === 'entity.too.large') return new StatusError(413, 'RequestEntityTooLarge', e.message ?? 'request entity too large');
  return internalError(err instanceof Error ? err.message : String(err));
}

export function writeError(res: ServerResponse, err: unknown, log?: Logger, req?: IncomingMessage, warnings?: string[]): void {
  const se = toStatusError(err);
  if (se.code >= 500 && log) {
    log.error({ err, method: req?.method, url: req?.url, reason: se.reason }, 'request failed');
  }
  const status: Status = se.toStatus();
  writeJSON(res, se.code, status, warnings);
}

/** What a delete without ReturnDeletedObject answers (genericregistry's finalizeDelete): no code. */
export function successStatus(details?: Record<string, unknown>): Omit<Status, 'code'> {
  const s: Omit<Status, 'code'> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  const d = orderedDetails(details);
  if (d) s.details = d;
  return s;
}
