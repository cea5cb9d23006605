/**
 * The Leases replicas coordinate through (docs/ha.md): names a user sees in
 * `kubectl -n default get leases` of workspace `root` and in `tmcctl replicas`.
 */
export const HA_LEASE_WORKSPACE = 'root';
export const HA_LEASE_NAMESPACE = 'default';
/** Its holder runs the placement and cluster-registration controllers. */
export const CONTROLLERS_LEASE = 'tmc-controllers';
/** Its holder runs the push syncers of every cluster (one syncer per cluster, ever). */
export const SYNCERS_LEASE = 'tmc-syncers';
export const LEASES_GVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
