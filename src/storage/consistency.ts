/**
 * Which revisions a list or watch may ask for, for stores that keep only the latest state
 * (memory, sqlite): kube's rules reduced to "now, or fail clearly".
 */
import { expired, StatusError } from '../errors/status.js';
import { parseRevision } from './revision.js';
import type { ListOptions } from './types.js';

/** kube's "Too large resource version" (504 Timeout, retry later) for a revision not yet written. */
export function tooLargeResourceVersion(want: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Too large resource version: ${want}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/**
 * Throws unless a list at `opts.resourceVersion` can be served from the current state:
 * unset/'0' and NotOlderThan-anything-written are fine; Exact must be the current revision
 * (older states are not kept → 410 Expired).
 */
export function checkListRevision(opts: ListOptions, current: number): void {
  const want = parseRevision(opts.resourceVersion);
  if (want === undefined || want === 0) return;
  if (want > current) throw tooLargeResourceVersion(want, current);
  if (opts.resourceVersionMatch === 'Exact' && want !== current) {
    throw expired('The resourceVersion for the provided list is too old.');
  }
}
