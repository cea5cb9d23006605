/**
 * Raw HTTPS requests to a test server with the admin client certificate (or none), for tests that
 * check exact status codes, headers and bodies.
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface Creds { caPem: string; certPem?: string; keyPem?: string; token?: string }

export interface RawResponse { status: number; headers: IncomingHttpHeaders; text: string; json: any }

export function request(baseURL: string, creds: Creds, method: string, path: string,
  body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(path, baseURL);
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      ca: creds.caPem, cert: creds.certPem, key: creds.keyPem,
      headers: {
        // node sends a DELETE body without framing unless told its length
        ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
        ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Opens a watch and collects events line by line until stopped. */
export function openWatch(baseURL: string, creds: Creds, path: string): { events: any[]; status: Promise<number>; stop(): void; ended: Promise<void> } {
  const events: any[] = [];
  let stopFn = () => {};
  let resolveStatus!: (n: number) => void;
  let resolveEnded!: () => void;
  const status = new Promise<number>((r) => { resolveStatus = r; });
  const ended = new Promise<void>((r) => { resolveEnded = r; });
  const url = new URL(path, baseURL);
  const req = https.request(url, { method: 'GET', ca: creds.caPem, cert: creds.certPem, key: creds.keyPem }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    // decode across chunk boundaries: a multi-byte character may be split between two chunks
    res.setEncoding('utf8');
    let buf = '';
    res.on('data', (c) => {
      buf += c;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) events.push(JSON.parse(line));
      }
    });
    res.on('end', () => resolveEnded());
    res.on('close', () => resolveEnded());
  });
  req.on('error', () => { resolveStatus(0); resolveEnded(); });
  req.end();
  stopFn = () => req.destroy();
  return { events, status, stop: () => stopFn(), ended };
}
