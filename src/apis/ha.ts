/**
 * The Leases replicas coordinate through (docs/ha.md): names a user sees in
 * `kubectl -n default get leases` of workspace `root` and in `tmcctl replicas`.
 */
import { createHash } from 'node:crypto';

export const HA_LEASE_WORKSPACE = 'root';
export const HA_LEASE_NAMESPACE = 'default';
/** Its holder runs the placement and cluster-registration controllers. */
export const CONTROLLERS_LEASE = 'tmc-controllers';
/**
 * Its holder runs the status aggregator (per-cluster statuses → upstream `.status`) and releases
 * deleted clusters from upstream objects: work that must happen once, not once per cluster.
 */
export const STATUS_AGGREGATOR_LEASE = 'tmc-status-aggregator';
/** Every replica announces itself with its own Lease `tmc-replica-<id>`, renewed while it runs. */
export const REPLICA_LEASE_PREFIX = 'tmc-replica-';
/** One Lease per push cluster: its holder runs that cluster's syncer (never two at once). */
export const SYNCER_SHARD_LEASE_PREFIX = 'tmc-syncer-';
export { LEASES as LEASES_GVR } from './gvr.js';

/** A replica's announcement Lease: its id made a valid object name (lower case, DNS-1123). */
export function replicaLeaseName(replicaId: string): string {
  const safe = replicaId.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `${REPLICA_LEASE_PREFIX}${safe || 'x'}`.slice(0, 253);
}

/**
 * The syncer Lease of a cluster, by its cluster key. Keys are base62 (mixed case) and object names
 * must be lower case, so the name carries a hex digest of the key instead.
 */
export function syncerShardLeaseName(clusterKey: string): string {
  return SYNCER_SHARD_LEASE_PREFIX + createHash('sha256').update(clusterKey).digest('hex').slice(0, 16);
}
