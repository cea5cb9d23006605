/**
 * Conditions and the failure vocabulary. Every way a sync can fail has a reason here; the syncer
 * writes it as a `Synced` condition into the per-cluster status annotation, and the aggregator
 * lifts it into the upstream `.status.conditions` (as `Synced` and `Synced/<key>`), so a failure is
 * never only in a log (kcp #1873).
 */

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  [extra: string]: unknown;
}

export const SYNCED = 'Synced';

export type SyncFailureReason =
  /** The downstream server refused the apply (validation, quota, admission, unreachable). */
  | 'ApplyFailed'
  /** A downstream object of that name exists and is not ours; conflictResolution is Abort. */
  | 'Conflict'
  /** The downstream namespace exists with another namespace locator. */
  | 'NamespaceCollision'
  /** The spec-diff annotation is not a valid RFC 6902 patch for this object. */
  | 'InvalidSpecDiff'
  /** A ConfigMap/Secret the pod template needs (not optional) does not exist upstream. */
  | 'DependencyNotFound'
  /** Deleting downstream failed (the finalizer stays until it succeeds). */
  | 'DeleteFailed';

/** A failure with a stable reason; reconcile records it as a condition, then retries with backoff. */
export class SyncFailure extends Error {
  constructor(readonly reason: SyncFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncFailure';
  }
}

export function syncedCondition(failure: SyncFailure | undefined, now: () => string): Condition {
  return failure
    ? { type: SYNCED, status: 'False', reason: failure.reason, message: failure.message, lastTransitionTime: now() }
    : { type: SYNCED, status: 'True', reason: 'Synced', message: 'applied to the cluster', lastTransitionTime: now() };
}
