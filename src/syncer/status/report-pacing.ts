/**
 * When a cluster's status report for an object is written upstream. Every report is an upstream
 * write that the API server fans out to every watcher of the object (the other clusters' syncers,
 * the aggregator, the placement controller), so reports are paced: at most one per object per
 * REPORT_INTERVAL_MS, the latest state winning, and a copy this syncer has just created reports
 * once it has settled (its rollout caught up) rather than at each step of its rollout. A change
 * of the `Synced` condition (a failure, a recovery) is never held back.
 *
 * Pure decisions over the downstream object and two clocks; downsync/sync-object.ts keeps the
 * timestamps and turns a wait into a requeue (the queue folds the events that arrive meanwhile
 * into the one later reconcile, which reads the latest state).
 */
import type { KubeObject } from '../../client/types.js';
import type { ReportedStatus } from '../aggregate/types.js';
import type { SyncedResource } from '../resources.js';
import { SYNCED } from '../conditions.js';

/**
 * A new copy's first report waits at most this long for the copy to settle; the report batcher
 * holds the first reports of an object as long for its other clusters, and the aggregator its
 * first aggregate. 5 s, the aggregator's bound: the object's aggregate waits for every cluster's
 * first report that long anyway, so holding the reports as long delays no aggregate, and in a
 * burst (copies of one object land seconds apart, each settles late) the 2 s this was before
 * expired first, splitting an object's first reports into several writes and a "still rolling"
 * report before the settled one (200 × 10 at load 12–14: 2.6 → 1.5 report writes per object).
 */
export const FIRST_REPORT_WAIT_MS = 5000;
/** Later reports of one object to one cluster are at least this far apart. */
export const REPORT_INTERVAL_MS = 1000;

type Status = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * True when the copy's controller has caught up with it: observedGeneration reached generation,
 * and for the replica-counting workloads every counter the controller reports equals the desired
 * count. Other pod-template kinds (Jobs) count as settled once any status is there.
 */
export function isSettled(resource: SyncedResource, downstreamObj: KubeObject | undefined): boolean {
  const status = (downstreamObj as { status?: Status } | undefined)?.status;
  if (!status || Object.keys(status).length === 0) return false;
  const generation = downstreamObj?.metadata?.generation;
  const observed = num(status.observedGeneration);
  if (generation !== undefined && observed !== undefined && observed < generation) return false;
  const spec = (downstreamObj as { spec?: Status }).spec ?? {};
  switch (resource.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = num(spec.replicas) ?? 1;
      return observed !== undefined && (num(status.replicas) ?? 0) === want && (num(status.readyReplicas) ?? 0) === want
        && (status.updatedReplicas === undefined || status.updatedReplicas === want)
        && (status.availableReplicas === undefined || status.availableReplicas === want);
    }
    case 'DaemonSet': {
      const want = num(status.desiredNumberScheduled);
      return observed !== undefined && want !== undefined && num(status.numberReady) === want
        && (status.updatedNumberScheduled === undefined || status.updatedNumberScheduled === want);
    }
    default:
      return true;
  }
}

/** The `Synced` condition's status and reason, which a report must never delay. */
function syncedState(s: ReportedStatus | undefined): string {
  const c = s?.conditions?.find((x) => x.type === SYNCED);
  return c ? `${c.status}/${c.reason ?? ''}` : '';
}

export interface PacingInput {
  resource: SyncedResource;
  downstreamObj: KubeObject | undefined;
  previous: ReportedStatus | undefined;
  next: ReportedStatus;
  /** When this syncer created the copy (ms), while its first report is still owed. */
  createdAt: number | undefined;
  /** When this syncer last wrote a report for the object (ms). */
  lastWrittenAt: number | undefined;
  nowMs: number;
}

/** How long to hold this report back (ms); 0 = write it now. */
export function reportDelay(p: PacingInput): number {
  if (syncedState(p.previous) !== syncedState(p.next)) {
    // Nothing reported yet: a new copy of a workload may wait for its rollout (below); any other
    // change of Synced (a failure, a recovery) goes out at once.
    if (p.previous !== undefined || p.createdAt === undefined || !p.resource.podTemplatePath) return 0;
    if (p.next.conditions?.some((c) => c.type === SYNCED && c.status !== 'True')) return 0;
    if (isSettled(p.resource, p.downstreamObj)) return 0;
    return Math.max(0, p.createdAt + FIRST_REPORT_WAIT_MS - p.nowMs);
  }
  if (p.lastWrittenAt === undefined) return 0;
  return Math.max(0, p.lastWrittenAt + REPORT_INTERVAL_MS - p.nowMs);
}
