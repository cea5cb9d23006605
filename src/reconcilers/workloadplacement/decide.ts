/**
 * Step 2 of a reconcile: one engine decision per selected workload. What is placed now (the
 * engine's `previous`) is read from the workload itself — its `state.tmc.kcp.io/<key>=Sync`
 * labels without a deletion annotation, with the replica share its spec-diff gives each cluster —
 * so the decision is always relative to what the syncers were actually told.
 *
 * Workloads whose scheduling inputs are identical (kind, replicas, pod requests, what is placed
 * now) share one schedule() call: a placement over 50 identical Deployments schedules once. Rules
 * (CEL over `workload`) can read anything, so with rules every workload is scheduled on its own.
 * The Random scorer is seeded with the placement's uid so that workloads of one placement land
 * together.
 */
import { STATE_LABEL_PREFIX, deletionAnnotation, specDiffAnnotation } from '../../apis/contract.js';
import {
  schedule, type ClusterRegistration as EngineCluster, type Decision, type PreviousDecision,
  type Workload, type WorkloadPlacementSpec,
} from '../../placement/index.js';
import type { CelCompiler, ClusterSnapshot } from '../../placement/index.js';
import type { ClusterKeys } from './cluster-input.js';
import { replicasFromSpecDiff } from './spec-diff.js';
import type { WorkloadObject, WorkloadPlacement } from './types.js';

export interface WorkloadDecision {
  workload: WorkloadObject;
  decision: Decision;
  previous: PreviousDecision;
}

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** spec.replicas; 1 for replica kinds that omit it; undefined for kinds without replicas. */
export function workloadReplicas(w: WorkloadObject): number | undefined {
  const r = w.spec?.replicas;
  if (typeof r === 'number') return Math.max(0, Math.floor(r));
  return w.kind && REPLICATED_KINDS.has(w.kind) ? 1 : undefined;
}

export function isDivided(spec: WorkloadPlacementSpec): boolean {
  return spec.replicaScheduling?.type === 'Divided';
}

/** The state-labelled cluster keys of a workload that are not being deleted. */
export function syncedKeys(w: WorkloadObject): string[] {
  const labels = w.metadata.labels ?? {};
  const annotations = w.metadata.annotations ?? {};
  return Object.keys(labels)
    .filter((l) => l.startsWith(STATE_LABEL_PREFIX) && labels[l] === 'Sync')
    .map((l) => l.slice(STATE_LABEL_PREFIX.length))
    .filter((key) => annotations[deletionAnnotation(key)] === undefined)
    .sort();
}

export function previousOf(w: WorkloadObject, keys: ClusterKeys): PreviousDecision {
  const clusters: PreviousDecision['clusters'] = [];
  for (const key of syncedKeys(w)) {
    const clusterName = keys.name(key);
    if (clusterName === undefined) continue; // unregistered: the apply step removes its label
    const replicas = replicasFromSpecDiff(w.metadata.annotations?.[specDiffAnnotation(key)]);
    clusters.push(replicas === undefined ? { clusterName } : { clusterName, replicas });
  }
  return { clusters };
}

export interface DecideInput {
  placement: WorkloadPlacement;
  workloads: readonly WorkloadObject[];
  clusters: EngineCluster[];
  keys: ClusterKeys;
  now: Date;
  celCompiler?: CelCompiler;
  /** Other placements per cluster, for the Balance scorer. */
  placementCounts?: ReadonlyMap<string, number> | Record<string, number>;
  /** Shared per-cluster facts (the clusters' objects must then be immutable). */
  snapshot?: ClusterSnapshot;
}

export function decideAll(input: DecideInput): WorkloadDecision[] {
  const spec = input.placement.spec as WorkloadPlacementSpec;
  const memo = new Map<string, Decision>();
  const perWorkload = (spec.rules?.length ?? 0) > 0;
  const randomSeed = input.placement.metadata.uid ?? `${input.placement.metadata.namespace}/${input.placement.metadata.name}`;
  return input.workloads.map((workload) => {
    const previous = previousOf(workload, input.keys);
    const memoKey = perWorkload ? undefined : schedulingKey(workload, previous);
    let decision = memoKey === undefined ? undefined : memo.get(memoKey);
    if (!decision) {
      decision = schedule({
        placement: { metadata: input.placement.metadata as Workload['metadata'], spec },
        workload: workload as Workload,
        clusters: input.clusters,
        previous,
        now: input.now,
        placementCounts: input.placementCounts,
        options: { celCompiler: input.celCompiler, randomSeed, snapshot: input.snapshot },
      });
      if (memoKey !== undefined) memo.set(memoKey, decision);
    }
    return { workload, decision, previous };
  });
}

/** Everything schedule() reads from a workload when the placement has no rules. */
function schedulingKey(w: WorkloadObject, previous: PreviousDecision): string {
  const pod = (w.spec?.template as { spec?: { containers?: Array<{ resources?: unknown }>; initContainers?: Array<{ resources?: unknown }> } } | undefined)?.spec;
  return JSON.stringify([
    w.apiVersion, w.kind, w.spec?.replicas,
    pod?.containers?.map((c) => c.resources ?? null), pod?.initContainers?.map((c) => c.resources ?? null),
    previous.clusters,
  ]);
}
