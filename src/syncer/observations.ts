/**
 * What a sync reports besides the per-cluster status: `tmc_sync_*` metrics (operations, failures,
 * the propagation-lag histogram) and Events on the upstream object for failures (SyncFailed;
 * SyncConflict when a foreign object of that name blocks it), so `kubectl describe deployment`
 * shows why a copy is missing. Events aggregate and are rate-limited in the recorder, so a
 * failure retried with backoff is one Event with a growing count.
 */
import type { KubeObject } from '../client/types.js';
import { syncFailuresTotal, syncOperationsTotal, syncPropagationLag } from '../observability/tmc-metrics.js';
import type { SyncFailure } from './conditions.js';
import type { SyncContext } from './context.js';
import type { UpstreamRef } from './keys.js';

const clusterOf = (ctx: SyncContext) => ctx.clusterName ?? ctx.clusterKey;

/**
 * When the object last changed: the newest managedFields time (every write stamps one), else its
 * creation. Second precision, as kube's metav1.Time.
 */
export function lastWriteTime(obj: KubeObject | undefined): number | undefined {
  let newest = obj?.metadata?.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
  for (const f of obj?.metadata?.managedFields ?? []) {
    const t = typeof f.time === 'string' ? Date.parse(f.time) : NaN;
    if (Number.isFinite(t) && !(t <= newest)) newest = t;
  }
  return Number.isFinite(newest) ? newest : undefined;
}

/** An upstream write reached the cluster (direction=down) or a downstream status reached upstream (up). */
export function observePropagation(ctx: SyncContext, direction: 'down' | 'up', source: KubeObject | undefined): void {
  const at = lastWriteTime(source);
  if (at === undefined) return;
  syncPropagationLag.observe({ cluster: clusterOf(ctx), direction }, Math.max(0, (Date.now() - at) / 1000));
}

export function observeOperation(ctx: SyncContext, operation: 'apply' | 'delete' | 'status', ok: boolean): void {
  syncOperationsTotal.inc({ cluster: clusterOf(ctx), operation, result: ok ? 'success' : 'error' });
}

export function reportSyncFailure(ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject, failure: SyncFailure): void {
  syncFailuresTotal.inc({ cluster: clusterOf(ctx), reason: failure.reason });
  const gvr = ref.resource.gvr;
  const regarding: KubeObject = {
    ...upstreamObj,
    apiVersion: upstreamObj.apiVersion ?? (gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version),
    kind: upstreamObj.kind ?? ref.resource.kind,
  };
  const conflict = failure.reason === 'Conflict' || failure.reason === 'NamespaceCollision';
  ctx.events?.event(regarding, 'Warning', conflict ? 'SyncConflict' : 'SyncFailed', 'Sync',
    `cluster ${clusterOf(ctx)}: ${failure.reason}: ${failure.message}`);
}
