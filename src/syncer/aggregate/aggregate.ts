/**
 * The aggregate `.status` of an upstream object from its per-cluster statuses — pure, so the rules
 * are table-tested (test/syncer/aggregate.test.ts):
 *
 * | kind                                 | fields                                                   |
 * |--------------------------------------|----------------------------------------------------------|
 * | Deployment, StatefulSet, DaemonSet   | integer counters summed, replica counters up to each     |
 * |                                      | cluster's share; old copies apart (old-copies.ts)        |
 * | Job                                  | jobs.ts: counts summed, Complete when all are            |
 * | Service, Ingress                     | loadBalancer.ingress union                               |
 * | anything else, one cluster           | that cluster's status as is                              |
 * | anything else, several clusters      | conditions only                                          |
 *
 * Always: conditions merged (True > False > Unknown per type) plus `Synced` and `Synced/<key>`.
 */
import { mergeConditions, syncConditions } from './conditions.js';
import { aggregateJob } from './jobs.js';
import { oldCopiesCondition, splitOldCopies } from './old-copies.js';
import { unionLoadBalancer } from './services.js';
import type { AggregateStatus, ClusterStatus } from './types.js';
import { observedGeneration, sumCounters } from './workloads.js';
import { cloneValue } from '../../machinery/objects.js';

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export function aggregateStatus(kind: string, upstreamGeneration: number | undefined, input: readonly ClusterStatus[]): AggregateStatus {
  const clusters = [...input].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const merged = mergeConditions(clusters);
  let out: AggregateStatus;
  if (REPLICATED.has(kind)) {
    const { counted, old } = splitOldCopies(clusters);
    out = sumCounters(counted);
    const og = observedGeneration(counted, upstreamGeneration);
    if (og !== undefined) out.observedGeneration = og;
    if (old.length) merged.push(oldCopiesCondition(old));
    if (merged.length) out.conditions = merged.sort((a, b) => a.type.localeCompare(b.type));
  } else if (kind === 'Job') {
    out = aggregateJob(clusters, merged);
  } else if (kind === 'Service' || kind === 'Ingress') {
    out = {};
    const lb = unionLoadBalancer(clusters);
    if (lb) out.loadBalancer = lb;
    if (merged.length) out.conditions = merged;
  } else if (clusters.length === 1) {
    const { conditions: _c, observedGeneration: _g, ...rest } = clusters[0].status;
    out = cloneValue(rest);
    if (merged.length) out.conditions = merged;
  } else {
    out = merged.length ? { conditions: merged } : {};
  }
  const sync = syncConditions(clusters);
  if (sync.length) out.conditions = [...(out.conditions ?? []), ...sync];
  if (out.conditions?.length === 0) delete out.conditions;
  return out;
}

export type { AggregateStatus, ClusterStatus, ReportedStatus } from './types.js';
