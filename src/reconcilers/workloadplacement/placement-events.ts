/**
 * The Events and metrics of a placement pass: what `kubectl describe workloadplacement|deployment`
 * shows. On a new decision record: PlacementDecided (first), PlacementChanged, RolledBack,
 * FailoverStarted (a cluster was vacated because it failed) or FailedPlacement (nothing
 * qualified) on the placement and on each workload it places. When a vacated cluster's copy is
 * gone (its state label removed) after a failover: FailoverFinished.
 */
import { STATE_LABEL_PREFIX } from '../../apis/contract.js';
import type { SelectedCluster } from '../../apis/tmc/index.js';
import type { EventSink } from '../../controllers/event-recorder.js';
import { placementDecisionsTotal, placementFailoversTotal } from '../../observability/tmc-metrics.js';
import { Trigger } from './history.js';
import type { ClusterKeys } from './cluster-input.js';
import type { PlacementDecision, WorkloadMetadataPatch, WorkloadObject, WorkloadPlacement } from './types.js';

const where = (s: readonly SelectedCluster[] | undefined) =>
  (s ?? []).map((c) => (c.replicas === undefined ? c.clusterName : `${c.clusterName}(${c.replicas})`)).join(', ') || 'no clusters';

/** The placement with the type meta an Event's `regarding` needs (informer items may lack it). */
export function placementObject(p: WorkloadPlacement): WorkloadPlacement {
  return { ...p, apiVersion: p.apiVersion ?? 'tmc.kcp.io/v1alpha1', kind: p.kind ?? 'WorkloadPlacement' };
}

/** Events for a newly recorded decision, on the placement and on each of its workloads. */
export function decisionEvents(events: EventSink, placement: WorkloadPlacement, record: PlacementDecision,
  workloads: readonly WorkloadObject[]): void {
  const spec = record.spec;
  const p = placementObject(placement);
  let type: 'Normal' | 'Warning' = 'Normal';
  let reason: string;
  let note: string;
  if ((spec.selected ?? []).length === 0) {
    type = 'Warning';
    reason = 'FailedPlacement';
    note = `revision ${spec.revision}: no cluster qualified: ${spec.unschedulable?.message ?? 'no cluster matched'}`;
    placementDecisionsTotal.inc({ result: 'failed' });
  } else if (spec.trigger === Trigger.PlacementCreated) {
    reason = 'PlacementDecided';
    note = `revision ${spec.revision}: placed on ${where(spec.selected)}`;
    placementDecisionsTotal.inc({ result: 'decided' });
  } else if (spec.trigger === Trigger.Rollback) {
    reason = 'RolledBack';
    note = `revision ${spec.revision}: rolled back to the clusters of revision ${record.metadata.annotations?.['tmc.kcp.io/rollback-of'] ?? '?'}: ${where(spec.selected)} (was ${where(spec.previous)})`;
    placementDecisionsTotal.inc({ result: 'changed' });
  } else if (spec.trigger === Trigger.Failover) {
    type = 'Warning';
    reason = 'FailoverStarted';
    note = `revision ${spec.revision}: moving from ${where(spec.previous)} to ${where(spec.selected)}${spec.unschedulable ? ` (${spec.unschedulable.message})` : ''}`;
    placementDecisionsTotal.inc({ result: 'changed' });
    placementFailoversTotal.inc({ phase: 'started' });
  } else {
    reason = 'PlacementChanged';
    note = `revision ${spec.revision} (${spec.trigger}): ${where(spec.previous)} → ${where(spec.selected)}`;
    placementDecisionsTotal.inc({ result: 'changed' });
  }
  const action = reason === 'FailedPlacement' ? 'Schedule' : reason === 'FailoverStarted' ? 'Failover' : 'Place';
  events.event(p, type, reason, action, note);
  for (const w of workloads) events.event(w, type, reason, action, `${note} (WorkloadPlacement ${placement.metadata.name})`, p);
}

/**
 * After a failover: a workload patch that drops the state label of a cluster the latest decision
 * vacated means that copy is gone — the failover is finished for this workload.
 */
export function failoverFinishedEvents(events: EventSink, placement: WorkloadPlacement, latest: PlacementDecision | undefined,
  workload: WorkloadObject, patch: WorkloadMetadataPatch | undefined, keys: ClusterKeys): void {
  if (!patch?.metadata.labels || latest?.spec.trigger !== Trigger.Failover) return;
  const chosen = new Set((latest.spec.selected ?? []).map((s) => s.clusterName));
  const removed = Object.entries(patch.metadata.labels)
    .filter(([label, v]) => v === null && label.startsWith(STATE_LABEL_PREFIX))
    .map(([label]) => keys.name(label.slice(STATE_LABEL_PREFIX.length)) ?? label.slice(STATE_LABEL_PREFIX.length))
    .filter((name) => !chosen.has(name));
  if (removed.length === 0) return;
  placementFailoversTotal.inc({ phase: 'finished' });
  const p = placementObject(placement);
  const note = `the copy on ${removed.join(', ')} is gone; running on ${where(latest.spec.selected)} (revision ${latest.spec.revision})`;
  events.event(workload, 'Normal', 'FailoverFinished', 'Failover', note, p);
  events.event(p, 'Normal', 'FailoverFinished', 'Failover', `${workload.kind ?? 'workload'} ${workload.metadata.name}: ${note}`);
}
