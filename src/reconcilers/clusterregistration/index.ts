/** The ClusterRegistration controller: cluster health, heartbeats, capacity, taints, cordon/drain. */
export { clusterRegistrationComponent, type ClusterRegistrationComponent, type ClusterRegistrationComponentDeps,
  type ClusterRegistrationComponentOptions } from './component.js';
export { ClusterRegistrationController, needsReconcile, type ClusterRegistrationControllerOptions } from './clusterregistration-controller.js';
export { reconcileClusterRegistration, syncedResources, type ReconcileDeps, type ReconcileOutput } from './clusterregistration-reconcile.js';
export { probeCluster, classifyProbeError, type ClusterFacts, type ProbeResult } from './cluster-probe.js';
export { ConditionType, Reason, UNREACHABLE_TAINT_KEY, DEFAULT_SYNCED_RESOURCES } from './constants.js';
