/**
 * A scripted HTTP server for client tests: records every request and answers with whatever the
 * test's `respond` function returns (a JSON body, a raw body, or a streaming watch it drives).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Responder {
  (req: RecordedRequest, res: http.ServerResponse): void;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private readonly server: http.Server;
  port = 0;

  constructor(public respond: Responder) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const recorded = {
          method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        this.respond(recorded, res);
        this.waiters = this.waiters.filter((w) => {
          if (this.requests.length >= w.n) { w.resolve(); return false; }
          return true;
        });
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once `n` requests in total have been answered (or handed to `respond`). */
  waitForRequests(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function statusBody(code: number, reason: string, message: string, details?: unknown): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, details };
}
