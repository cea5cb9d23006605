/**
 * Step 5: the WorkloadPlacement status from the decisions and what each workload reports.
 *
 * | condition | True | False / Unknown |
 * |---|---|---|
 * | Scheduled | `Scheduled`, `Pinned`, `PartiallyScheduled` (with the engine's sentence) | the engine's reason (`NoFeasibleClusters`, `InsufficientCapacity`, …), `PinnedRevisionNotFound`; Unknown `NoWorkloadsSelected` |
 * | Synced | `AllSynced` | `SyncPending` (n/m placements reported), `SyncFailed` (the first failure), `PlacementProblem` (override CEL errors, workloads owned by another placement); Unknown `NoWorkloadsSelected` |
 * | Available | `AllAvailable` | `NotAvailable` (n/m ready); Unknown `NoWorkloadsSelected` |
 */
import { setCondition } from '../../apis/conditions.js';
import type {
  ClusterDecision, Condition, PlacedWorkload, WorkloadPlacement, WorkloadPlacementStatus,
} from '../../apis/tmc/index.js';
import type { Phase } from './aggregate.js';
import { sortConditions } from './conditions.js';
import { groupOf } from './selection.js';
import type { WorkloadObject } from './types.js';
import type { WorkloadClusterStatus } from '../../apis/tmc/index.js';

export interface StatusInput {
  placement: WorkloadPlacement;
  now: string;
  phase: Phase;
  decisions: ClusterDecision[];
  placed: Array<{ workload: WorkloadObject; clusters: WorkloadClusterStatus[] }>;
  scheduled: { status: Condition['status']; reason: string; message: string };
  currentRevision?: number;
  /** Set when this pass wrote a new decision. */
  placedAt?: string;
  problems: string[];
}

export function buildStatus(input: StatusInput): WorkloadPlacementStatus {
  const old = input.placement.status ?? {};
  const generation = input.placement.metadata.generation;
  let conditions: Condition[] = old.conditions ?? [];
  const set = (type: string, c: { status: Condition['status']; reason: string; message: string }) => {
    conditions = setCondition<Condition>(conditions, {
      type, status: c.status, reason: c.reason, message: c.message, ...(generation !== undefined ? { observedGeneration: generation } : {}),
    }, input.now);
  };
  set('Scheduled', input.scheduled);
  set('Synced', syncedCondition(input));
  set('Available', availableCondition(input));
  conditions = sortConditions(conditions);

  const status: WorkloadPlacementStatus = {
    phase: input.phase,
    conditions,
    decisions: input.decisions,
    placedWorkloads: input.placed.map(({ workload, clusters }): PlacedWorkload => ({ workloadRef: workloadRef(workload), clusters })),
  };
  if (generation !== undefined) status.observedGeneration = generation;
  const lastPlacementTime = input.placedAt ?? old.lastPlacementTime;
  if (lastPlacementTime) status.lastPlacementTime = lastPlacementTime;
  const currentRevision = input.currentRevision ?? old.currentRevision;
  if (currentRevision !== undefined) status.currentRevision = currentRevision;
  return status;
}

type Cond = { status: Condition['status']; reason: string; message: string };

function entries(input: StatusInput): WorkloadClusterStatus[] {
  return input.placed.flatMap((p) => p.clusters.filter((c) => c.state !== 'Deleting'));
}

function syncedCondition(input: StatusInput): Cond {
  if (input.placed.length === 0) {
    const also = input.problems.length > 0 ? `; ${input.problems.join('; ')}` : '';
    return { status: 'Unknown', reason: 'NoWorkloadsSelected', message: `no workload matches the workloadSelector${also}` };
  }
  if (input.problems.length > 0) return { status: 'False', reason: 'PlacementProblem', message: input.problems.join('; ') };
  const all = entries(input);
  const failed = input.placed.flatMap((p) => p.clusters.filter((c) => c.state === 'Failed').map((c) => `${p.workload.kind} ${p.workload.metadata.name} on ${c.clusterName}: ${c.message ?? 'sync failed'}`));
  if (failed.length > 0) return { status: 'False', reason: 'SyncFailed', message: failed.join('; ') };
  const synced = all.filter((c) => c.state === 'Sync').length;
  if (all.length === 0) return { status: 'False', reason: 'NothingPlaced', message: 'no workload is placed on any cluster' };
  if (synced < all.length) return { status: 'False', reason: 'SyncPending', message: `${synced}/${all.length} workload placements reported by their syncers` };
  return { status: 'True', reason: 'AllSynced', message: `${synced}/${all.length} workload placements synced` };
}

function availableCondition(input: StatusInput): Cond {
  if (input.placed.length === 0) return { status: 'Unknown', reason: 'NoWorkloadsSelected', message: 'no workload matches the workloadSelector' };
  const all = entries(input);
  const ready = all.filter((c) => c.ready).length;
  if (all.length > 0 && ready === all.length) return { status: 'True', reason: 'AllAvailable', message: `${ready}/${all.length} workload placements available` };
  return { status: 'False', reason: 'NotAvailable', message: `${ready}/${all.length} workload placements available` };
}

function workloadRef(w: WorkloadObject): PlacedWorkload['workloadRef'] {
  const av = w.apiVersion ?? '';
  const ref: PlacedWorkload['workloadRef'] = { version: av.includes('/') ? av.slice(av.indexOf('/') + 1) : av, kind: w.kind ?? '', name: w.metadata.name };
  const group = groupOf(w);
  if (group) ref.group = group;
  if (w.metadata.namespace) ref.namespace = w.metadata.namespace;
  return ref;
}
