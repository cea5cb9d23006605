/**
 * Rollback (spec.pinnedRevision): instead of scheduling, every workload goes to the clusters of
 * the pinned PlacementDecision. Divided replicas are re-divided over those clusters in the
 * proportions the decision recorded (Webster, as the engine divides), so a workload scaled since
 * still gets whole shares. A pinned cluster that is no longer registered is skipped and reported
 * (PartiallyScheduled) — the pin never moves the workload somewhere the decision did not say.
 * Clusters placed now but not in the decision are vacated (reason NotInPinnedRevision).
 */
import { webster, type Decision, type DecisionCluster, type Eviction, type PreviousDecision } from '../../placement/index.js';
import type { ClusterKeys } from './cluster-input.js';
import { workloadReplicas } from './decide.js';
import type { PlacementDecision, WorkloadObject } from './types.js';

export const PinReason = {
  Pinned: 'Pinned',
  PinnedClusterGone: 'PinnedClusterGone',
  NotInPinnedRevision: 'NotInPinnedRevision',
  PinnedRevisionNotFound: 'PinnedRevisionNotFound',
} as const;

export function pinnedDecision(
  record: PlacementDecision, w: WorkloadObject, previous: PreviousDecision, keys: ClusterKeys, divided: boolean,
): Decision {
  const selected = record.spec.selected ?? [];
  const present = selected.filter((s) => keys.key(s.clusterName) !== undefined);
  const gone = selected.filter((s) => keys.key(s.clusterName) === undefined).map((s) => s.clusterName);
  const total = workloadReplicas(w);
  let replicas: Array<number | undefined> = present.map(() => total);
  if (divided && total !== undefined && present.length > 0) {
    const weights = present.map((s) => Math.max(0, s.replicas ?? 1));
    replicas = webster(total, weights.every((x) => x === 0) ? weights.map(() => 1) : weights);
  }
  const clusters: DecisionCluster[] = present.map((s, i) => {
    const d: DecisionCluster = { clusterName: s.clusterName, clusterKey: keys.key(s.clusterName), score: 0, reason: PinReason.Pinned };
    if (replicas[i] !== undefined) d.replicas = replicas[i];
    return d;
  });
  const chosen = new Set(present.map((s) => s.clusterName));
  const evictions: Eviction[] = previous.clusters.filter((p) => !chosen.has(p.clusterName)).map((p) => ({
    clusterName: p.clusterName, reason: PinReason.NotInPinnedRevision,
    message: `not in pinned revision ${record.spec.revision}`, purgeMode: 'Immediately',
  }));
  const decision: Decision = { status: 'Scheduled', clusters, candidates: [], evictions, retained: [], warnings: [] };
  if (gone.length > 0) {
    decision.status = present.length > 0 ? 'PartiallyScheduled' : 'Unschedulable';
    decision.unschedulable = { reason: PinReason.PinnedClusterGone, message: `pinned revision ${record.spec.revision} names clusters that are no longer registered: ${gone.join(', ')}` };
  }
  return decision;
}
