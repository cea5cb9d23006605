/**
 * The scorer plugin contract: a scorer sees every feasible cluster at once (so it can normalise
 * against the others) and returns one integer score per cluster in 0..100, higher is better.
 */
import type { ClusterView } from '../cluster-view.js';
import type { WorkloadPlacementSpec } from '../types.js';
import type { WorkloadView } from '../workload-view.js';

export interface ScoreContext {
  spec: WorkloadPlacementSpec;
  workload: WorkloadView;
  /** Replicas one cluster would run if chosen (Duplicated: all; Divided: one share's worth, ≥1). */
  replicasPerCluster: number;
  /** Looked up per feasible cluster only: never iterated (it may hold thousands of names). */
  placementCounts: ReadonlyMap<string, number>;
  /** Locality targets: explicit preferred locations, else those of the previous clusters. */
  preferredLocations: Set<string>;
  previousLocations: Set<string>;
  previousRegions: Set<string>;
}

export interface ScorePlugin {
  readonly name: string;
  score(clusters: readonly ClusterView[], ctx: ScoreContext): Int32Array;
}

export function clampScore(x: number): number {
  if (!(x > 0)) return 0;
  return x >= 100 ? 100 : Math.round(x);
}
