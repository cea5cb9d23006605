/**
 * Metrics of running several replicas (docs/ha.md): who leads, how often leadership moved and how
 * long the lease stood unheld before this replica took it. The `lease` label is one of a few fixed
 * names (e.g. `tmc-controllers`), never user input.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.js';

export const leaderElectionIsLeader = new Gauge({
  name: 'tmc_leader_election_is_leader',
  help: '1 while this replica holds the lease and runs the work it guards, else 0.',
  labelNames: ['lease'] as const,
  registers: [registry],
});

export const leaderElectionTransitionsTotal = new Counter({
  name: 'tmc_leader_election_transitions_total',
  help: 'Times this replica started (direction=acquired) or stopped (direction=lost) leading.',
  labelNames: ['lease', 'direction'] as const,
  registers: [registry],
});

export const leaderElectionHandoverSeconds = new Histogram({
  name: 'tmc_leader_election_handover_seconds',
  help: 'From the previous holder\'s last renewal to this replica leading (takeovers only).',
  labelNames: ['lease'] as const,
  buckets: [0.5, 1, 2, 5, 10, 15, 20, 30, 60],
  registers: [registry],
});

/** Syncer sharding (one Lease per push cluster): what this replica syncs and how often it changed. */
export const syncerShardsOwned = new Gauge({
  name: 'tmc_syncer_shards_owned',
  help: 'Push clusters whose syncer runs on this replica (it holds their tmc-syncer-* Lease).',
  registers: [registry],
});

export const syncerShardOwned = new Gauge({
  name: 'tmc_syncer_shard_owned',
  help: '1 while this replica owns the push cluster (label: its cluster key), else 0.',
  labelNames: ['cluster_key'] as const,
  registers: [registry],
});

export const syncerShardTransitionsTotal = new Counter({
  name: 'tmc_syncer_shard_transitions_total',
  help: 'Shard ownership changes on this replica: acquired, lost (renewal failed) or released (given back or unwanted).',
  labelNames: ['direction'] as const,
  registers: [registry],
});

export const syncerShardHandoverSeconds = new Histogram({
  name: 'tmc_syncer_shard_handover_seconds',
  help: 'On taking a cluster from another replica: how long its Lease had stood unrenewed.',
  buckets: [0.5, 1, 2, 5, 10, 15, 20, 30, 60],
  registers: [registry],
});
