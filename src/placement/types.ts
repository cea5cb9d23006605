/**
 * The placement engine's inputs and outputs.
 *
 * Inputs mirror DESIGN.md §4 field for field (WorkloadPlacement.spec, ClusterRegistration), so the
 * types generated into src/apis from openapi/ are structurally assignable to them; the engine only
 * declares the fields it reads. Everything optional that the API allows to be omitted is optional
 * here too: the engine applies the defaults itself and documents them next to the code that does.
 */
/** cpu, memory and pods as Kubernetes quantities ("500m", "2Gi", "110"). */
export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
  pods?: string | number;
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** One entry of ClusterRegistration status.syncedResources. */
export interface SyncedResourceEntry { group?: string; resource: string; versions?: string[]; state?: string }

// ---------------------------------------------------------------------------------------------
// ClusterRegistration
// ---------------------------------------------------------------------------------------------

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** RFC3339; NoExecute toleration windows are counted from here. */
  timeAdded?: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ClusterRegistration {
  metadata: ObjectMeta;
  spec?: {
    location?: string;
    taints?: Taint[];
    /** Cordon: keep what is there, place nothing new. */
    unschedulable?: boolean;
    /** Drain: RFC3339; once in the past, everything placed here is moved away. */
    evictAfter?: string;
    /** Operator override of the reported allocatable resources. */
    capacity?: ResourceList;
  };
  status?: {
    conditions?: Condition[];
    capacity?: ResourceList;
    allocatable?: ResourceList;
    allocated?: ResourceList;
    /**
     * What the cluster syncs: the API's entries `{group, resource, state}` (only `Accepted` ones
     * count), or plain `<resource>.<group>` strings (core resources without a group).
     */
    syncedResources?: Array<string | SyncedResourceEntry>;
    clusterKey?: string;
  };
}

// ---------------------------------------------------------------------------------------------
// WorkloadPlacement
// ---------------------------------------------------------------------------------------------

export interface ClusterSelector {
  clusterNames?: string[];
  labelSelector?: LabelSelectorSpec;
  locations?: string[];
  /** CEL over `cluster` (the ClusterRegistration object). */
  expression?: string;
}

export interface SpreadConstraint {
  /** A cluster label key, e.g. topology.kubernetes.io/region, topology.kubernetes.io/zone, tmc.kcp.io/provider. */
  topologyKey: string;
  maxSkew?: number;
  minGroups?: number;
  maxGroups?: number;
}

export interface StaticWeight {
  clusterSelector: ClusterSelector;
  weight: number;
}

export interface ReplicaScheduling {
  type?: 'Duplicated' | 'Divided';
  divisionPreference?: 'Weighted' | 'Aggregated';
  weights?: {
    static?: StaticWeight[];
    dynamic?: 'AvailableReplicas';
  };
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect;
  tolerationSeconds?: number;
}

export interface PrioritizerConfig {
  name: string;
  weight?: number;
}

export interface Rule {
  /** CEL over `cluster` and `workload` that must be true for a cluster to be eligible. */
  expression: string;
  /** Shown as the reason when the rule does not hold. */
  message?: string;
}

export interface WorkloadPlacementSpec {
  workloadSelector?: {
    workloadTypes?: Array<{ group?: string; kind: string }>;
    labelSelector?: LabelSelectorSpec;
    names?: string[];
  };
  clusterSelector?: ClusterSelector;
  numberOfClusters?: number;
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaScheduling;
  tolerations?: Toleration[];
  prioritizers?: {
    mode?: 'Additive' | 'Exact';
    configurations?: PrioritizerConfig[];
  };
  rules?: Rule[];
  failover?: {
    /** How long a placed cluster may stay NotReady before it is vacated (default 300). */
    tolerationSeconds?: number;
    purgeMode?: 'Graceful' | 'Immediately' | 'Never';
  };
}

export interface WorkloadPlacement {
  metadata?: ObjectMeta;
  spec: WorkloadPlacementSpec;
}

/** Any Kubernetes object; pod-bearing kinds are read through spec.replicas and spec.template. */
export interface Workload {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    template?: { spec?: PodSpecLike };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}

export interface ContainerLike {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

// ---------------------------------------------------------------------------------------------
// Engine input / output
// ---------------------------------------------------------------------------------------------

/** What is placed right now (the last decision, or what the state labels say). */
export interface PreviousDecision {
  clusters: Array<{ clusterName: string; replicas?: number }>;
}

/** A CEL evaluation: true/false, or an error (compile or runtime) in words. */
export type CelResult = boolean | { error: string };
export type CelEvaluator = (expression: string, vars: Record<string, unknown>) => CelResult;
/** Compile-once variant: compile each expression once per call, evaluate the program per cluster. */
export type CelCompiler = (expression: string) => ((vars: Record<string, unknown>) => CelResult) | { error: string };

export interface FilterVerdict {
  plugin: string;
  passed: boolean;
  /** Stable, CamelCase; see reasons.ts. */
  reason?: string;
  message?: string;
  /** Passed only because the cluster already holds the workload (cordon, NoSchedule, grace period). */
  retained?: boolean;
}

export interface ScoreEntry {
  plugin: string;
  /** 0–100 */
  score: number;
  weight: number;
}

export interface Candidate {
  clusterName: string;
  filters: FilterVerdict[];
  scores: ScoreEntry[];
  /** Σ score × weight (0 when a filter failed). */
  total: number;
  feasible: boolean;
  selected: boolean;
}

export interface DecisionCluster {
  clusterName: string;
  clusterKey?: string;
  replicas?: number;
  score: number;
  /** `Selected`, or `Retained` when kept only because it was already placed there. */
  reason: string;
}

export interface Eviction {
  clusterName: string;
  reason: string;
  message: string;
  purgeMode: 'Graceful' | 'Immediately' | 'Never';
}

export interface Retention {
  clusterName: string;
  reason: string;
  message: string;
}

export type DecisionStatus = 'Scheduled' | 'PartiallyScheduled' | 'Unschedulable';

export interface Decision {
  status: DecisionStatus;
  clusters: DecisionCluster[];
  /** Set unless status is Scheduled: what could not be done and why. */
  unschedulable?: { reason: string; message: string };
  /** One per input cluster, sorted by name. */
  candidates: Candidate[];
  /** Previously placed clusters that must be vacated. */
  evictions: Eviction[];
  /** Previously placed clusters kept although no new placement would go there. */
  retained: Retention[];
  /** Unknown prioritizers, duplicate cluster names and the like: not fatal, worth showing. */
  warnings: string[];
}
