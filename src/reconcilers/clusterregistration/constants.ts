/**
 * The vocabulary this controller writes: condition types, reasons, the taint it manages, and the
 * resources a cluster must serve to run TMC workloads. Other controllers (placement, tmcctl) read
 * these names, so they are part of the API and listed in docs/clusters.md.
 */
import { DEPLOYMENTS, STATEFULSETS } from '../../apis/gvr.js';

export const CONTROLLER_NAME = 'clusterregistration';

export const ConditionType = {
  /** Summary: the cluster may receive workloads (reachable, authorized, compatible, heartbeat fresh). */
  Ready: 'Ready',
  /** The API server (Push) or the agent's heartbeat (Pull) answers. */
  Reachable: 'Reachable',
  /** The credentials in the Secret are accepted. */
  Authorized: 'Authorized',
  /** The cluster serves the resources TMC syncs to it. */
  ResourcesCompatible: 'ResourcesCompatible',
  /** Neither cordoned (spec.unschedulable) nor draining (spec.evictAfter reached). */
  Schedulable: 'Schedulable',
} as const;

export const Reason = {
  ClusterReady: 'ClusterReady',
  Reachable: 'Reachable',
  Unreachable: 'Unreachable',
  HeartbeatMissed: 'HeartbeatMissed',
  HeartbeatReceived: 'HeartbeatReceived',
  AwaitingAgent: 'AwaitingAgent',
  Authorized: 'Authorized',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  SecretNotFound: 'SecretNotFound',
  InvalidCredentials: 'InvalidCredentials',
  NoEndpoint: 'NoEndpoint',
  NotProbed: 'NotProbed',
  ResourcesServed: 'ResourcesServed',
  ResourcesMissing: 'ResourcesMissing',
  ProbeFailed: 'ProbeFailed',
  Schedulable: 'Schedulable',
  Cordoned: 'Cordoned',
  Draining: 'Draining',
} as const;

/** NoSchedule taint added while a cluster's heartbeat is older than the threshold. */
export const UNREACHABLE_TAINT_KEY = 'tmc.kcp.io/unreachable';

/**
 * What TMC syncs when spec.supportedResources is empty: the `kubernetes` APIExport's workload
 * types, plus the ConfigMaps and Secrets that travel with Deployments. `<resource>.<group>`.
 */
export const DEFAULT_SYNCED_RESOURCES: readonly string[] = [
  'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'services',
  'ingresses.networking.k8s.io', 'persistentvolumeclaims', 'configmaps', 'secrets',
];

/** The workload kinds whose pod requests count towards status.allocated. */
export const REPLICATED_WORKLOADS = [DEPLOYMENTS, STATEFULSETS] as const;

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
export const DEFAULT_HEARTBEAT_THRESHOLD_MS = 40_000;
