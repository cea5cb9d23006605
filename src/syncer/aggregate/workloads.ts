/**
 * Deployments, StatefulSets, DaemonSets: every integer counter is summed (replicas, readyReplicas,
 * availableReplicas, updatedReplicas, unavailableReplicas, currentReplicas, and the DaemonSet
 * number* fields), so kubectl's READY column reads as one big cluster. The replica counters of a
 * cluster count at most its share (its desired replicas), so the sum never exceeds what was asked
 * for: N x replicas when Duplicated, spec.replicas when Divided.
 */
import type { AggregateStatus, ClusterStatus } from './types.js';

/** Counters that are not additive. */
const NOT_SUMMED = new Set(['observedGeneration', 'collisionCount']);
/** Counters of pods that exist or are ready: at most the cluster's share each. */
const CAPPED = new Set(['replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'currentReplicas']);

export function sumCounters(clusters: readonly ClusterStatus[]): AggregateStatus {
  const out: AggregateStatus = {};
  for (const { status, share } of clusters) {
    for (const [field, value] of Object.entries(status)) {
      if (NOT_SUMMED.has(field) || typeof value !== 'number' || !Number.isInteger(value)) continue;
      const counted = share !== undefined && CAPPED.has(field) ? Math.min(value, share) : value;
      out[field] = ((out[field] as number | undefined) ?? 0) + counted;
    }
  }
  return out;
}

/**
 * The upstream generation when every cluster has observed it (so `kubectl rollout status` waits
 * for all clusters); otherwise the lowest any cluster observed; undefined when one has not said.
 */
export function observedGeneration(clusters: readonly ClusterStatus[], upstreamGeneration: number | undefined): number | undefined {
  if (clusters.length === 0) return undefined;
  let min = Infinity;
  for (const { status } of clusters) {
    if (typeof status.observedGeneration !== 'number') return undefined;
    min = Math.min(min, status.observedGeneration);
  }
  return upstreamGeneration !== undefined && min >= upstreamGeneration ? upstreamGeneration : min;
}
