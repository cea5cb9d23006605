/**
 * The Events and metrics of a placement pass: what `kubectl describe workloadplacement|deployment`
 * shows. On a new decision record: PlacementDecided (first), PlacementChanged, RolledBack,
 * FailoverStarted (a cluster was vacated because it failed) or FailedPlacement (nothing
 * qualified) on the placement and on each workload it places. When a vacated cluster's copy is
 * gone (no longer in the placement's status) after a failover: FailoverFinished.
 */
import type { SelectedCluster } from '../../apis/tmc/index.js';
import type { EventSink } from '../../controllers/event-recorder.js';
import { placementDecisionsTotal, placementFailoversTotal } from '../../observability/tmc-metrics.js';
import { Trigger } from './history.js';
import type { PlacementDecision, WorkloadObject, WorkloadPlacement } from './types.js';

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
 * After a failover: a cluster the latest (Failover) decision vacated that the last status still
 * listed for a workload, and this pass no longer does, has lost its copy — the failover is
 * finished there. Compared against the committed status, so it fires once.
 */
export function failoverFinishedEvents(events: EventSink, placement: WorkloadPlacement, latest: PlacementDecision | undefined,
  placed: ReadonlyArray<{ workload: WorkloadObject; clusters: ReadonlyArray<{ clusterName: string }> }>): void {
  if (latest?.spec.trigger !== Trigger.Failover) return;
  const chosen = new Set((latest.spec.selected ?? []).map((s) => s.clusterName));
  const vacated = new Set((latest.spec.previous ?? []).map((s) => s.clusterName).filter((n) => !chosen.has(n)));
  if (vacated.size === 0) return;
  const before = new Map((placement.status?.placedWorkloads ?? []).map((p) => [`${p.workloadRef.kind}/${p.workloadRef.name}`, p.clusters ?? []]));
  const p = placementObject(placement);
  for (const { workload, clusters } of placed) {
    const now = new Set(clusters.map((c) => c.clusterName));
    const gone = (before.get(`${workload.kind ?? ''}/${workload.metadata.name}`) ?? [])
      .map((c) => c.clusterName).filter((n) => vacated.has(n) && !now.has(n));
    if (gone.length === 0) continue;
    placementFailoversTotal.inc({ phase: 'finished' });
    const note = `the copy on ${gone.join(', ')} is gone; running on ${where(latest.spec.selected)} (revision ${latest.spec.revision})`;
    events.event(workload, 'Normal', 'FailoverFinished', 'Failover', note, p);
    events.event(p, 'Normal', 'FailoverFinished', 'Failover', `${workload.kind ?? 'workload'} ${workload.metadata.name}: ${note}`);
  }
}
