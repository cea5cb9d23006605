/**
 * The filter plugin contract. A filter sees one cluster at a time and answers pass/fail with a
 * stable reason. For a cluster that already holds the workload, a filter that only guards *new*
 * placements (cordon, NoSchedule, NotReady within the failover grace) answers `passed: true,
 * retained: true` instead of failing, so what runs is not moved by a change that forbids only
 * new work.
 */
import type { CelRuntime } from '../cel.js';
import type { ClusterView } from '../cluster-view.js';
import type { CompiledClusterSelector } from '../selectors.js';
import type { WorkloadPlacementSpec } from '../types.js';
import type { WorkloadView } from '../workload-view.js';

export interface FilterContext {
  spec: WorkloadPlacementSpec;
  workload: WorkloadView;
  nowMs: number;
  cel: CelRuntime;
  /** Names the CEL environment in memo keys of CEL results (ClusterSnapshot.celId). */
  /**
   * Per spec.rules[k]: the memo key of its result when the rule never names `workload` (then it
   * is a fact about the cluster, evaluated once per cluster object and CEL environment however
   * many placements share it); undefined otherwise.
   */
  ruleSlots: Array<number | undefined>;
  /** Memo key of the APICompatibility verdict for the workload's resource. */
  apiSlot: number;
  /** Divided replicas: a cluster needs room for one replica, not all of them. */
  divided: boolean;
  selector: CompiledClusterSelector | undefined;
}

export interface FilterOutcome {
  passed: boolean;
  reason?: string;
  message?: string;
  retained?: boolean;
}

export interface FilterPlugin {
  readonly name: string;
  /** Whether the plugin has anything to check for this placement (skipped filters are not recorded). */
  enabled(ctx: FilterContext): boolean;
  filter(c: ClusterView, ctx: FilterContext): FilterOutcome;
}

export const PASS: FilterOutcome = Object.freeze({ passed: true });

export function fail(reason: string, message: string): FilterOutcome {
  return { passed: false, reason, message };
}

/** Fails a new cluster, keeps (retained) a cluster that already holds the workload. */
export function failNew(c: ClusterView, reason: string, message: string): FilterOutcome {
  return c.isPrevious ? { passed: true, retained: true, reason, message: `${message}; kept because already placed here` } : fail(reason, message);
}
