/**
 * The shapes the workloadplacement reconciler reads and writes, and the injected functions it
 * does its I/O through (kcp's habit: a reconciler is a struct of functions, not clients), so the
 * logic runs in tests and benchmarks without a server.
 */
import type {
  ClusterRegistration, PlacementDecision, WorkloadPlacement,
} from '../../apis/tmc/index.js';
import type { ObjectMeta } from '../../apis/object.js';
import type { EventSink } from '../../controllers/event-recorder.js';
import type { Logger } from '../../observability/logger.js';
import type { CelCompiler } from '../../placement/index.js';
import type { SharedClusters } from './cluster-input.js';

export type { ClusterRegistration, PlacementDecision, WorkloadPlacement };

/** Any workload object (Deployment, Service, …) as the API returns it. */
export interface WorkloadObject {
  apiVersion?: string;
  kind?: string;
  /** ObjectMeta, with the name a stored object always has. */
  metadata: ObjectMeta & { name: string };
  spec?: Record<string, unknown> & { replicas?: number };
  [k: string]: unknown;
}

/** A JSON merge patch for a workload's metadata (labels and annotations; null removes a key). */
export interface WorkloadMetadataPatch {
  metadata: {
    labels?: Record<string, string | null>;
    annotations?: Record<string, string | null>;
    /** The whole list (merge patch replaces lists): only with the workload's resourceVersion as precondition. */
    finalizers?: string[];
  };
}

/** Where a placement lives: its logical cluster (workspace), namespace and name. */
export interface PlacementRef {
  workspace: string;
  namespace: string;
  name: string;
}

/** What a reconcile needs of a namespace's workloads: those named (when names are given) and its own. */
export interface WorkloadScope {
  /** The placement's workloadSelector.names; undefined when it selects by type or labels. */
  names?: readonly string[];
  /** `namespace/name` of the placement: workloads annotated as placed by it. */
  owner: string;
}

/** The I/O a reconcile needs; the controller backs them with informer caches and a KubeClient. */
export interface ReconcileDeps {
  /** Every ClusterRegistration of a workspace (the placement's locationWorkspace). */
  listClusters(workspace: string): ClusterRegistration[] | Promise<ClusterRegistration[]>;
  /**
   * Workloads of the watched types in one namespace; selection happens in the reconciler. With a
   * scope, the answer may be narrowed to (but must include) the workloads named in `scope.names`
   * and those whose `tmc.kcp.io/placement` annotation is `scope.owner`.
   */
  listWorkloads(workspace: string, namespace: string, scope?: WorkloadScope): WorkloadObject[] | Promise<WorkloadObject[]>;
  /**
   * For the Balance scorer: per cluster of a location workspace, how many other placements are on
   * it. Without it Balance scores every cluster alike.
   */
  placementCounts?(locationWorkspace: string, placement: PlacementRef): ReadonlyMap<string, number> | Record<string, number>;
  /** Merge-patch a workload's metadata; the patch carries the object's resourceVersion. */
  patchWorkload(workspace: string, workload: WorkloadObject, patch: WorkloadMetadataPatch): Promise<void>;
  /** The PlacementDecisions of one placement (any order). */
  listDecisions(ref: PlacementRef): Promise<PlacementDecision[]>;
  createDecision(ref: PlacementRef, decision: PlacementDecision): Promise<void>;
  deleteDecision(ref: PlacementRef, name: string): Promise<void>;
  /** Whether another placement named in a workload's `tmc.kcp.io/placement` annotation still exists. */
  placementExists?(workspace: string, namespace: string, name: string): boolean;
  now(): Date;
  celCompiler?: CelCompiler;
  /**
   * Clusters analysed once per informer object and shared by every decision (cluster-input.ts);
   * only for cluster lists whose objects are never mutated in place. Absent: per reconcile.
   */
  sharedClusters?: SharedClusters;
  /** PlacementDecisions kept per placement (the pinned one is never deleted). @default 10 */
  historyLimit?: number;
  logger?: Logger;
  /** Kubernetes Events about the placement and its workloads (placement-events.ts). */
  events?: EventSink;
}

/** What one reconcile produced: the placement with its new status, and when to look again. */
export interface ReconcileOutput {
  placement: WorkloadPlacement;
  /** Milliseconds until a toleration, grace period or drain deadline expires. */
  requeueAfterMs?: number;
}
