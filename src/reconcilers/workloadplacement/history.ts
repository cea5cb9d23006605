/**
 * PlacementDecision records: the audit trail. A record is written only when the placement-level
 * selection (clusters and replicas) or the unschedulable reason changes, so a resync or a
 * heartbeat never adds history. Records are named `<placement>-<revision>`, labelled with the
 * placement's name, owned by the placement, and the newest `historyLimit` are kept (a pinned
 * revision is never pruned: a rollback must stay possible while it is in effect).
 *
 * Triggers, first match wins: PlacementCreated (no record yet), Rollback (a pin takes effect),
 * PlacementChanged (spec.generation moved), Failover (a cluster was vacated because it failed, was
 * drained or tainted NoExecute), ClusterRemoved (a placed cluster is gone), ClusterAdded (a cluster
 * registered after the previous decision is now chosen), WorkloadChanged (same clusters, other replicas),
 * ClusterChanged (anything else about the clusters).
 */
import { PLACEMENT_NAME_LABEL } from '../../apis/contract.js';
import { API_VERSION, type PlacementDecision, type SelectedCluster, type WorkloadPlacement } from '../../apis/tmc/index.js';
import { Reason } from '../../placement/index.js';
import type { PlacementResult } from './aggregate.js';

/** On a Rollback record: the revision it re-applies. */
export const ROLLBACK_OF_ANNOTATION = 'tmc.kcp.io/rollback-of';
export const DEFAULT_HISTORY_LIMIT = 10;

export const Trigger = {
  PlacementCreated: 'PlacementCreated',
  Rollback: 'Rollback',
  PlacementChanged: 'PlacementChanged',
  Failover: 'Failover',
  ClusterRemoved: 'ClusterRemoved',
  ClusterAdded: 'ClusterAdded',
  WorkloadChanged: 'WorkloadChanged',
  ClusterChanged: 'ClusterChanged',
} as const;

/** Eviction reasons that mean "this cluster failed or is being emptied": purgeMode applies to them. */
export const FAILOVER_REASONS: ReadonlySet<string> = new Set([
  Reason.NotReady, Reason.Evicting, Reason.UntoleratedTaint, Reason.TolerationExpired,
]);

export function byRevision(history: readonly PlacementDecision[]): PlacementDecision[] {
  return [...history].sort((a, b) => a.spec.revision - b.spec.revision);
}

export function sameSelection(a: readonly SelectedCluster[] | undefined, b: readonly SelectedCluster[] | undefined): boolean {
  const norm = (s: readonly SelectedCluster[] | undefined) => JSON.stringify((s ?? []).map((c) => [c.clusterName, c.replicas ?? null]).sort());
  return norm(a) === norm(b);
}

export interface TriggerInput {
  placement: WorkloadPlacement;
  latest: PlacementDecision | undefined;
  result: PlacementResult;
  pinned: boolean;
  /** A cluster's metadata.creationTimestamp, for ClusterAdded. */
  registeredAt?: (clusterName: string) => string | undefined;
}

export function triggerOf({ placement, latest, result, pinned, registeredAt }: TriggerInput): string {
  if (!latest) return Trigger.PlacementCreated;
  if (pinned) return Trigger.Rollback;
  const generation = placement.metadata.generation;
  if (generation !== undefined && placement.status?.observedGeneration !== generation) return Trigger.PlacementChanged;
  const reasons = [...result.evictionReasons.values()];
  if (reasons.some((r) => FAILOVER_REASONS.has(r))) return Trigger.Failover;
  if (reasons.includes(Reason.ClusterNotFound)) return Trigger.ClusterRemoved;
  // Timestamps, not the previous decision's candidate list: the controller's history cache drops
  // evaluations (they are the bulk of a record), and "registered since" is what the name means.
  const decidedAt = latest.spec.time ?? latest.metadata.creationTimestamp;
  const before = new Set((latest.spec.selected ?? []).map((s) => s.clusterName));
  if (decidedAt && registeredAt && result.selected.some((s) => {
    const at = registeredAt(s.clusterName);
    return !before.has(s.clusterName) && at !== undefined && Date.parse(at) > Date.parse(decidedAt);
  })) return Trigger.ClusterAdded;
  const names = (s: readonly SelectedCluster[] | undefined) => JSON.stringify((s ?? []).map((c) => c.clusterName).sort());
  if (names(latest.spec.selected) === names(result.selected)) return Trigger.WorkloadChanged;
  return Trigger.ClusterChanged;
}

export interface RecordInput {
  placement: WorkloadPlacement;
  revision: number;
  time: string;
  trigger: string;
  result: PlacementResult;
  latest: PlacementDecision | undefined;
  rollbackOf?: number;
}

export function decisionRecord(input: RecordInput): PlacementDecision {
  const { placement, revision, result } = input;
  const name = placement.metadata.name as string;
  const metadata: PlacementDecision['metadata'] = {
    name: `${name}-${revision}`,
    namespace: placement.metadata.namespace,
    labels: { [PLACEMENT_NAME_LABEL]: name },
  };
  if (input.rollbackOf !== undefined) metadata.annotations = { [ROLLBACK_OF_ANNOTATION]: String(input.rollbackOf) };
  if (placement.metadata.uid) {
    metadata.ownerReferences = [{
      apiVersion: API_VERSION, kind: 'WorkloadPlacement', name, uid: placement.metadata.uid, controller: true, blockOwnerDeletion: true,
    }];
  }
  const spec: PlacementDecision['spec'] = {
    placementName: name,
    revision,
    time: input.time,
    trigger: input.trigger,
    evaluation: result.evaluation,
    selected: result.selected,
    previous: (input.latest?.spec.selected ?? []).map((s) => (s.replicas === undefined ? { clusterName: s.clusterName } : { clusterName: s.clusterName, replicas: s.replicas })),
  };
  if (result.unschedulable) spec.unschedulable = { ...result.unschedulable };
  return { apiVersion: API_VERSION, kind: 'PlacementDecision', metadata, spec };
}

/** Records to delete so that `limit` remain, oldest first, never the pinned one. */
export function toPrune(history: readonly PlacementDecision[], limit: number, pinned: number | undefined): PlacementDecision[] {
  const sorted = byRevision(history);
  const excess = sorted.length - Math.max(1, limit);
  if (excess <= 0) return [];
  return sorted.filter((d) => d.spec.revision !== pinned).slice(0, excess);
}
