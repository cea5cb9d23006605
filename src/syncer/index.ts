/**
 * The sync engine's public surface (see README.md and docs/sync.md).
 */
export { Syncer, type SyncerOptions } from './syncer.js';
export { SyncerManager, syncerManagerComponent, type SyncerManagerOptions, type ManagerDeps, type ShardOwnership, type ShardCallbacks } from './manager/syncer-manager.js';
export { downstreamClientFor } from './manager/credentials.js';
export { StatusAggregator, type StatusAggregatorOptions } from './status/aggregator.js';
export { releaseCluster, type ReleaseClusterOptions } from './lifecycle/release-cluster.js';
export { DirectSource, type DirectSourceOptions } from './upstream/direct-source.js';
export { SyncerVWSource, syncerVWPrefix, type SyncerVWSourceOptions } from './upstream/syncer-vw-source.js';
export type { UpstreamSource, ConflictResolution } from './upstream/source.js';
export { staticWorkspaces, discoverBoundWorkspaces, BoundWorkspaces, DiscoveredWorkspaces, type WorkspaceProvider } from './upstream/workspaces.js';
export { Heartbeat, type HeartbeatOptions } from './heartbeat.js';
export { aggregateStatus } from './aggregate/aggregate.js';
export { toDownstream } from './transform/transform.js';
export { DEFAULT_RESOURCES, selectResources, resourceId, type SyncedResource } from './resources.js';
export { SYNCED, SyncFailure, type SyncFailureReason, type Condition } from './conditions.js';
