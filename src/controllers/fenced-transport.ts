/**
 * A transport that refuses writes once its holder may no longer write: the fence of a
 * lease-guarded worker (a cluster's syncer). The check runs before every write, at the moment it
 * would go out, so a process resumed after a freeze (SIGSTOP, a long pause) cannot send what it had
 * queued even before its lease timers have run again. Reads and watches pass: they change nothing.
 */
import type { StreamOptions, StreamResponse, Transport, TransportRequest, TransportResponse } from '../client/transport.js';

export class FencedWriteError extends Error {
  constructor(readonly what: string) {
    super(`refused a write: this replica no longer holds ${what}`);
    this.name = 'FencedWriteError';
  }
}

/** `allowed()` is asked before each write; `what` names the lease in the error. */
export function fencedTransport(inner: Transport, allowed: () => boolean, what: string): Transport {
  return {
    request(req: TransportRequest): Promise<TransportResponse> {
      if (req.method !== 'GET' && !allowed()) return Promise.reject(new FencedWriteError(what));
      return inner.request(req);
    },
    stream(req: TransportRequest, opts: StreamOptions): Promise<StreamResponse> {
      return inner.stream(req, opts);
    },
    close: inner.close ? () => inner.close!() : undefined,
  };
}
