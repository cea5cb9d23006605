/**
 * TMC's own metrics: placement (`tmc_placement_*`), syncing (`tmc_sync_*`), physical clusters
 * (`tmc_cluster_*`) and leader election (client-go's `leader_election_master_status`). Label values
 * are cluster names, placement results and fixed reasons: never object names.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.js';

const PLACEMENT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Propagation spans queueing, backoff and a physical cluster's latency: 10 ms … 5 min. */
const PROPAGATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export const placementDecisionsTotal = new Counter({
  name: 'tmc_placement_decisions_total',
  help: 'Placement decisions by result: decided (first placement), changed (clusters or replicas moved), failed (no feasible cluster).',
  labelNames: ['result'] as const, registers: [registry],
});

export const placementDecisionDuration = new Histogram({
  name: 'tmc_placement_decision_duration_seconds', help: 'Time the placement engine took to decide for one placement.',
  buckets: PLACEMENT_BUCKETS, registers: [registry],
});

export const placementFailoversTotal = new Counter({
  name: 'tmc_placement_failovers_total', help: 'Failovers by phase (started: workloads leave a failed cluster; finished: the old copies are gone).',
  labelNames: ['phase'] as const, registers: [registry],
});

export const placementsUnscheduled = new Gauge({
  name: 'tmc_placement_unscheduled', help: 'WorkloadPlacements whose last decision placed nothing (phase Failed or Pending).',
  registers: [registry],
});

export const syncPropagationLag = new Histogram({
  name: 'tmc_sync_propagation_lag_seconds',
  help: 'Per cluster: time from an upstream write (its managedFields time) to the copy applied on the physical cluster (direction=down), or from a downstream status change to the upstream status write (direction=up).',
  labelNames: ['cluster', 'direction'] as const, buckets: PROPAGATION_BUCKETS, registers: [registry],
});

export const syncOperationsTotal = new Counter({
  name: 'tmc_sync_operations_total', help: 'Writes syncers made, by cluster, operation (apply: the copy downstream; status: the per-cluster status upstream) and result (success, error).',
  labelNames: ['cluster', 'operation', 'result'] as const, registers: [registry],
});

export const syncFailuresTotal = new Counter({
  name: 'tmc_sync_failures_total', help: 'Sync failures by cluster and reason (the Synced condition reason).',
  labelNames: ['cluster', 'reason'] as const, registers: [registry],
});

export const clusterReady = new Gauge({
  name: 'tmc_cluster_ready', help: '1 when the ClusterRegistration is Ready, 0 otherwise.',
  labelNames: ['cluster'] as const, registers: [registry],
});

export const clusterReadyTransitionsTotal = new Counter({
  name: 'tmc_cluster_ready_transitions_total', help: 'Ready condition changes of a ClusterRegistration, by the new status.',
  labelNames: ['cluster', 'status'] as const, registers: [registry],
});

export const clusterHeartbeatAge = new Gauge({
  name: 'tmc_cluster_heartbeat_age_seconds', help: 'Seconds since the ClusterRegistration\'s last heartbeat, as of its last health check.',
  labelNames: ['cluster'] as const, registers: [registry],
});

export const leaderElectionMasterStatus = new Gauge({
  name: 'leader_election_master_status', help: '1 while this process holds the lease `name`, 0 otherwise (client-go\'s name).',
  labelNames: ['name'] as const, registers: [registry],
});

export const leaderTransitionsTotal = new Counter({
  name: 'tmc_leader_transitions_total', help: 'Times this process started or stopped leading the lease `name`.',
  labelNames: ['name'] as const, registers: [registry],
});

export const eventsRecordedTotal = new Counter({
  name: 'tmc_events_total', help: 'Kubernetes Events the controllers emitted, by type and whether written (created, aggregated into a series, dropped by the rate limit or an error).',
  labelNames: ['type', 'result'] as const, registers: [registry],
});
