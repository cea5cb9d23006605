/**
 * The one outcome vocabulary every controller speaks (controller-runtime's reconcileHandler):
 *
 * | reconcile returns / throws      | queue action                 | outcome          |
 * |---------------------------------|------------------------------|------------------|
 * | nothing                         | forget                       | `success`        |
 * | `{ requeueAfter: ms }`          | forget, then addAfter(ms)    | `requeueAfter`   |
 * | throws TerminalError            | forget (not retried)         | `terminal`       |
 * | throws anything else            | addRateLimited (backoff)     | `error`          |
 *
 * Reconcile is level-based: it gets a key, never an event, and reads current state itself.
 */
import type { WorkQueue } from './workqueue.js';

export type ReconcileResult = { requeueAfter?: number } | void;

export type ReconcileFunc = (key: string) => Promise<ReconcileResult>;

export type ReconcileOutcome = 'success' | 'requeueAfter' | 'terminal' | 'error';

/**
 * An error retrying cannot fix (a malformed key, an invalid spec the user must change). It is
 * logged and counted, and the key is not requeued; a later change to the object enqueues it again.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminalError(err: unknown): err is TerminalError {
  return err instanceof TerminalError;
}

/** What happened to one key; applied to the queue by `applyOutcome`. */
export type Settled = { result: ReconcileResult } | { error: unknown };

export function outcomeOf(settled: Settled): ReconcileOutcome {
  if ('error' in settled) return isTerminalError(settled.error) ? 'terminal' : 'error';
  const after = settled.result?.requeueAfter;
  return after !== undefined && after > 0 ? 'requeueAfter' : 'success';
}

/** Performs the table above on `queue` for `key` and returns the outcome. */
export function applyOutcome(queue: WorkQueue, key: string, settled: Settled): ReconcileOutcome {
  const outcome = outcomeOf(settled);
  switch (outcome) {
    case 'error':
      queue.addRateLimited(key);
      break;
    case 'requeueAfter':
      queue.forget(key);
      queue.addAfter(key, (settled as { result: { requeueAfter: number } }).result.requeueAfter);
      break;
    default:
      queue.forget(key);
  }
  return outcome;
}
