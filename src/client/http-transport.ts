/**
 * Transport over node:http / node:https with a keep-alive agent (watches hold their socket; other
 * requests reuse pooled ones). TLS material and credentials are plain options here;
 * kubeconfig-transport.ts fills them from a kubeconfig.
 */
import { injectTraceHeaders, isTracing } from '../observability/tracing.js';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { LineSplitter } from './line-splitter.js';
import {
  encodeQuery, type StreamOptions, type StreamResponse, type Transport, type TransportRequest,
  type TransportResponse,
} from './transport.js';

export interface HttpTransportOptions {
  /** Server URL; its path (e.g. `/clusters/root`) prefixes every request path. */
  server: string;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** False only for `insecure-skip-tls-verify` kubeconfigs. */
  rejectUnauthorized?: boolean;
  servername?: string;
  /** Headers sent on every request (Authorization for static tokens, Impersonate-User, …). */
  headers?: Record<string, string>;
  /** Headers computed per request, for credentials that rotate (exec plugins). */
  dynamicHeaders?: () => Promise<Record<string, string>>;
  userAgent?: string;
  /** Socket inactivity limit for non-watch requests; watches rely on the server's timeout. */
  requestTimeoutMs?: number;
  /**
   * Sockets for requests (not watches) to the server; more requests at once wait for a pooled
   * one. @default 32
   */
  maxSockets?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class HttpTransport implements Transport {
  private readonly base: URL;
  private readonly basePath: string;
  /** Requests: a bounded keep-alive pool. */
  private readonly agent: http.Agent;
  /** Watches: each holds its socket for its lifetime, so they must not take the requests' sockets. */
  private readonly watchAgent: http.Agent;
  private readonly isHttps: boolean;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.server);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.isHttps = this.base.protocol === 'https:';
    // Bounded, so a burst of concurrent requests (M syncers' workers, status batches) reuses warm
    // sockets instead of opening one each: every new socket is a TLS handshake with client-cert
    // verification on both ends, and the pool kept growing to hundreds in a sync burst.
    const maxSockets = options.maxSockets ?? 32;
    if (this.isHttps) {
      // One TLS context for every socket: building it per connection (parsing the CA, cert and
      // key) was ~2 % of a busy syncer's CPU when bursts open new sockets.
      const tlsOptions = {
        keepAlive: true, secureContext: tls.createSecureContext({ ca: options.ca, cert: options.cert, key: options.key }),
        rejectUnauthorized: options.rejectUnauthorized ?? true, servername: options.servername,
      };
      this.agent = new https.Agent({ ...tlsOptions, maxSockets });
      this.watchAgent = new https.Agent(tlsOptions);
    } else {
      this.agent = new http.Agent({ keepAlive: true, maxSockets });
      this.watchAgent = new http.Agent({ keepAlive: true });
    }
  }

  /** The same server and credentials, with `path` replacing the URL path (shares the agents). */
  withBasePath(path: string): HttpTransport {
    const url = new URL(this.base.toString());
    url.pathname = path;
    const next = new HttpTransport({ ...this.options, server: url.toString() });
    (next as unknown as { agent: http.Agent }).agent = this.agent;
    (next as unknown as { watchAgent: http.Agent }).watchAgent = this.watchAgent;
    return next;
  }

  /** Close pooled sockets (watches end as their sockets close). */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const outgoing = await this.open(req);
    return new Promise<TransportResponse>((resolve, reject) => {
      outgoing.setTimeout(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, () => {
        outgoing.destroy(new Error(`request ${req.method} ${req.path} timed out`));
      });
      outgoing.on('error', reject);
      outgoing.on('response', (res) => {
        collect(res).then((body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }), reject);
      });
      outgoing.end(req.body);
    });
  }

  async stream(req: TransportRequest, opts: StreamOptions): Promise<StreamResponse> {
    if (opts.signal.aborted) return { status: 0, headers: {}, body: Buffer.alloc(0), aborted: true };
    const outgoing = await this.open(req, this.watchAgent);
    return new Promise<StreamResponse>((resolve, reject) => {
      let status = 0;
      let headers: http.IncomingHttpHeaders = {};
      const abortedResult = (): StreamResponse => ({ status, headers, body: Buffer.alloc(0), aborted: true });
      const onAbort = (): void => {
        outgoing.destroy();
        resolve(abortedResult());
      };
      opts.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = (): void => opts.signal.removeEventListener('abort', onAbort);
      outgoing.on('error', (err) => {
        cleanup();
        if (opts.signal.aborted) resolve(abortedResult());
        else reject(err);
      });
      outgoing.on('response', (res) => {
        status = res.statusCode ?? 0;
        headers = res.headers;
        if (status < 200 || status >= 300) {
          collect(res).then((body) => {
            cleanup();
            resolve({ status, headers, body, aborted: false });
          }, (err) => {
            cleanup();
            reject(err);
          });
          return;
        }
        const splitter = new LineSplitter(opts.onObject);
        res.on('data', (chunk: Buffer) => {
          if (!opts.signal.aborted) splitter.push(chunk);
        });
        res.on('end', () => {
          cleanup();
          if (opts.signal.aborted) return resolve(abortedResult());
          splitter.end();
          resolve({ status, headers, body: Buffer.alloc(0), aborted: false });
        });
        // A reset mid-stream surfaces here; 'aborted' responses also emit 'error' on Node 20.
        res.on('error', (err) => {
          cleanup();
          if (opts.signal.aborted) resolve(abortedResult());
          else reject(err);
        });
      });
      outgoing.end(req.body);
    });
  }

  private async open(req: TransportRequest, agent: http.Agent = this.agent): Promise<http.ClientRequest> {
    const dynamic = this.options.dynamicHeaders ? await this.options.dynamicHeaders() : {};
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? 'tmc-client/0.1.0',
      ...lowerKeys(this.options.headers), ...lowerKeys(dynamic), ...lowerKeys(req.headers),
    };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    // W3C trace context of the caller's active span (a no-op while tracing is off)
    if (isTracing()) injectTraceHeaders(headers);
    const requestOptions: https.RequestOptions = {
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port || (this.isHttps ? 443 : 80),
      method: req.method,
      path: this.basePath + req.path + encodeQuery(req.query),
      headers,
      agent,
    };
    return this.isHttps ? https.request(requestOptions) : http.request(requestOptions);
  }
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

function collect(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}
