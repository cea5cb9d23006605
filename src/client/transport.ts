/**
 * The one seam between clients and an API server. KubeClient speaks only this interface, so the
 * same controllers run over HTTP (http-transport.ts) or in-process (a transport that calls the
 * API server's handlers without sockets).
 *
 * Contract for implementers:
 * - `path` always starts with '/' and is relative to the transport's base (an HTTP transport
 *   appends it to the kubeconfig server URL, including any path such as `/clusters/root`).
 * - `query` values that are undefined are omitted; everything else is stringified.
 * - `request` resolves for every HTTP status (errors are the caller's to interpret) and rejects
 *   only when no response was obtained (connection refused, reset, timeout).
 * - `stream` is for watches: on a 2xx response it calls `onObject` once per newline-delimited JSON
 *   value as it arrives (lines that are not JSON are skipped, as client-node does), and resolves
 *   with an empty body when the server ends the stream. On a non-2xx response it delivers nothing
 *   and resolves with the collected body, like `request`. Aborting `signal` ends the stream
 *   quietly: the promise resolves with `aborted: true`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface TransportRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface TransportResponse {
  status: number;
  /** Header names are lower-case. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface StreamOptions {
  signal: AbortSignal;
  onObject: (obj: unknown) => void;
}

export interface StreamResponse extends TransportResponse {
  /** True when the stream ended because `signal` was aborted. */
  aborted: boolean;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest, opts: StreamOptions): Promise<StreamResponse>;
  /** Drop pooled sockets, failing requests in flight (a transport without a pool has nothing to drop). */
  close?(): void;
}

/** `?a=1&b=x` (or '') from a query record, skipping undefined values; shared by transports. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
