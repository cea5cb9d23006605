/**
 * The push syncers sharded over replicas (docs/ha.md): every replica runs a syncer manager that
 * campaigns for one Lease per push cluster (controllers/lease-shards.ts) and runs the syncers of
 * the clusters it owns; the status aggregator and the release of deleted clusters, which must run
 * once, follow the `tmc-status-aggregator` Lease.
 */
import {
  HA_LEASE_NAMESPACE, HA_LEASE_WORKSPACE, REPLICA_LEASE_PREFIX, STATUS_AGGREGATOR_LEASE, SYNCER_SHARD_LEASE_PREFIX,
  replicaLeaseName, syncerShardLeaseName,
} from '../apis/ha.js';
import { HttpTransport } from '../client/http-transport.js';
import { KubeClient } from '../client/kube-client.js';
import { LeaseShards } from '../controllers/lease-shards.js';
import {
  syncerShardHandoverSeconds, syncerShardOwned, syncerShardTransitionsTotal, syncerShardsOwned,
} from '../observability/ha-metrics.js';
import { syncerManagerComponent, type ShardCallbacks, type ShardOwnership } from '../syncer/index.js';
import { leaderElected } from './leader-elected.js';
import type { ComponentFactory, ServerDeps } from './start-server.js';

/** Both halves: the sharded syncers on every replica, the once-only part on one. */
export function shardedSyncerComponents(): ComponentFactory[] {
  return [
    { name: 'syncer-manager (sharded)', make: (deps) => syncerManagerComponent(deps, { aggregate: false, releaseDeleted: false, shards: (cb) => syncerShards(deps, cb) }) },
    leaderElected(`${STATUS_AGGREGATOR_LEASE} (leader-elected)`, STATUS_AGGREGATOR_LEASE, [
      { name: 'status-aggregator', make: (deps) => syncerManagerComponent(deps, { runSyncers: false }) },
    ]),
  ];
}

function syncerShards(deps: ServerDeps, callbacks: ShardCallbacks): ShardOwnership {
  // Lease calls are bounded by the renew deadline: a hung call must not outlive the right to hold.
  const transport = new HttpTransport({
    server: deps.url, ca: deps.pki.ca.certPem, cert: deps.pki.admin.certPem, key: deps.pki.admin.keyPem,
    userAgent: 'tmc-syncer-shards', requestTimeoutMs: deps.opts.renewDeadlineMs,
  });
  const owned = new Set<string>();
  const shards = new LeaseShards({
    leaseClient: new KubeClient(transport).forCluster(HA_LEASE_WORKSPACE), namespace: HA_LEASE_NAMESPACE,
    identity: deps.opts.replicaId,
    memberLease: replicaLeaseName(deps.opts.replicaId), memberLeasePrefix: REPLICA_LEASE_PREFIX,
    shardLease: syncerShardLeaseName, shardLeasePrefix: SYNCER_SHARD_LEASE_PREFIX,
    leaseDurationMs: deps.opts.leaseDurationMs, renewDeadlineMs: deps.opts.renewDeadlineMs, retryPeriodMs: deps.opts.retryPeriodMs,
    logger: deps.log.child({ component: 'syncer-shards', identity: deps.opts.replicaId }),
    metrics: {
      owned: (shard, isOwned) => {
        if (isOwned) owned.add(shard); else owned.delete(shard);
        syncerShardOwned.set({ cluster_key: shard }, isOwned ? 1 : 0);
        syncerShardsOwned.set(owned.size);
      },
      transition: (direction) => syncerShardTransitionsTotal.inc({ direction }),
      handover: (ms) => syncerShardHandoverSeconds.observe(ms / 1000),
    },
    onAcquired: callbacks.onAcquired,
    onLost: callbacks.onLost,
  });
  syncerShardsOwned.set(0);
  return {
    start: () => shards.start(),
    stop: async () => { await shards.stop(); transport.close(); },
    want: (s) => shards.want(s),
    unwant: (s) => shards.unwant(s),
    owns: (s) => shards.owns(s),
    leaseOf: syncerShardLeaseName,
  };
}
