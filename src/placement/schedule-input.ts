/**
 * What one schedule() call takes: the placement, the workload, the clusters, and the options that
 * may carry a ClusterSnapshot. Apart from types.ts so the snapshot (which reads the cluster and CEL
 * types) and the types it is built from do not import each other.
 */
import type { ClusterSnapshot } from './snapshot.js';
import type { CelCompiler, CelEvaluator, ClusterRegistration, PreviousDecision, Workload, WorkloadPlacement } from './types.js';

export interface ScheduleOptions {
  /** Evaluates clusterSelector.expression, rules[] and static weight selectors. */
  celEvaluator?: CelEvaluator;
  /** Preferred over celEvaluator when both are given. */
  celCompiler?: CelCompiler;
  /** The workload's resource as clusters list it in syncedResources; derived from apiVersion/kind when absent. */
  workloadResource?: string;
  /** Locality scorer targets; default: the locations and regions of the previous clusters. */
  preferredLocations?: string[];
  /** Seed of the Random scorer; default: the workload's uid (or namespace/name). */
  randomSeed?: string;
  /**
   * Per-cluster facts shared by every decision that passes the same snapshot (see snapshot.ts).
   * The cluster objects must then be treated as immutable: replace an object to change a cluster.
   */
  snapshot?: ClusterSnapshot;
}

export interface ScheduleInput {
  placement: WorkloadPlacement;
  workload: Workload;
  clusters: ClusterRegistration[];
  previous?: PreviousDecision;
  /** The decision time: Date, epoch milliseconds or RFC3339. Nothing else reads a clock. */
  now: Date | number | string;
  /**
   * Placements already on each cluster (other than this one), for the Balance scorer. A Map is
   * read as it is; a plain object is read into a Map once per object when a snapshot is shared
   * (so, like the clusters, it must not be mutated after it was passed: pass a new one).
   */
  placementCounts?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  options?: ScheduleOptions;
}
