/**
 * From per-workload decisions to the placement's: the clusters chosen for any workload, with the
 * replicas of all workloads summed per cluster (a placement of two Deployments of 3 replicas,
 * Duplicated on two clusters, shows 6 replicas on each). The evaluation (every cluster's verdicts
 * and scores) and the unschedulable reason come from the first workload that has them: identical
 * workloads share one engine call, so for the common case they are exact, and otherwise
 * representative.
 */
import { type CandidateEvaluation, type ClusterDecision, type SelectedCluster, encodeEvaluation } from '../../apis/tmc/index.js';
import type { Decision } from '../../placement/index.js';
import type { WorkloadDecision } from './decide.js';

export type Phase = 'Pending' | 'Scheduled' | 'PartiallyScheduled' | 'Failed';

export interface PlacementResult {
  phase: Phase;
  selected: SelectedCluster[];
  decisions: ClusterDecision[];
  /** Every cluster's verdicts and scores, as the PlacementDecision stores them. */
  evaluation: CandidateEvaluation;
  unschedulable?: { reason: string; message: string };
  /** Evictions of every workload (cluster name → first reason), for the trigger. */
  evictionReasons: Map<string, string>;
}

export function aggregate(decisions: readonly WorkloadDecision[]): PlacementResult {
  const byCluster = new Map<string, ClusterDecision>();
  const evictionReasons = new Map<string, string>();
  let unschedulable: PlacementResult['unschedulable'];
  let evaluation: CandidateEvaluation | undefined;
  let scheduled = 0;
  let failed = 0;
  for (const { decision } of decisions) {
    if (decision.status === 'Scheduled') scheduled++;
    if (decision.status === 'Unschedulable') failed++;
    if (!unschedulable && decision.unschedulable) unschedulable = { ...decision.unschedulable };
    if (!evaluation && decision.candidates.length > 0) evaluation = encodeEvaluation(decision.candidates);
    for (const e of decision.evictions) if (!evictionReasons.has(e.clusterName)) evictionReasons.set(e.clusterName, e.reason);
    for (const c of decision.clusters) {
      const prev = byCluster.get(c.clusterName);
      if (!prev) {
        const d: ClusterDecision = { clusterName: c.clusterName, score: Math.round(c.score), reason: c.reason };
        if (c.clusterKey) d.clusterKey = c.clusterKey;
        if (c.replicas !== undefined) d.replicas = c.replicas;
        byCluster.set(c.clusterName, d);
      } else {
        if (c.replicas !== undefined) prev.replicas = (prev.replicas ?? 0) + c.replicas;
        prev.score = Math.max(prev.score ?? 0, Math.round(c.score));
      }
    }
  }
  const clusterDecisions = [...byCluster.values()].sort((a, b) => cmp(a.clusterName, b.clusterName));
  let phase: Phase;
  if (decisions.length === 0) phase = 'Pending';
  else if (scheduled === decisions.length) phase = 'Scheduled';
  else if (failed === decisions.length) phase = 'Failed';
  else phase = 'PartiallyScheduled';
  return {
    phase,
    decisions: clusterDecisions,
    selected: clusterDecisions.map((d) => {
      const s: SelectedCluster = { clusterName: d.clusterName };
      if (d.clusterKey) s.clusterKey = d.clusterKey;
      if (d.replicas !== undefined) s.replicas = d.replicas;
      return s;
    }),
    evaluation: evaluation ?? { considered: 0 },
    unschedulable,
    evictionReasons,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
