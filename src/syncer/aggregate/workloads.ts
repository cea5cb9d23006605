/**
 * Deployments, StatefulSets, DaemonSets: every integer counter is summed (replicas, readyReplicas,
 * availableReplicas, updatedReplicas, unavailableReplicas, currentReplicas, and the DaemonSet
 * number* fields), so kubectl's READY column reads as one big cluster.
 */
import type { AggregateStatus, ClusterStatus } from './types.js';

/** Counters that are not additive. */
const NOT_SUMMED = new Set(['observedGeneration', 'collisionCount']);

export function sumCounters(clusters: readonly ClusterStatus[]): AggregateStatus {
  const out: AggregateStatus = {};
  for (const { status } of clusters) {
    for (const [field, value] of Object.entries(status)) {
      if (NOT_SUMMED.has(field) || typeof value !== 'number' || !Number.isInteger(value)) continue;
      out[field] = ((out[field] as number | undefined) ?? 0) + value;
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
