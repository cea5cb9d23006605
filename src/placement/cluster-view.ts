/**
 * A cluster as one decision sees it: the placement-independent facts (ClusterSnapshot, computed
 * once per cluster object) plus what depends on this workload and its previous decision — whether
 * it is already here, the room it would have (its own replicas given back), and how many of its
 * replicas fit.
 */
import { type Amounts, RESOURCES } from './resources.js';
import { type ClusterFacts, isMemoized, memoValue, REGION_LABEL, remember, toNumber } from './snapshot.js';
import type { WorkloadView } from './workload-view.js';

export { REGION_LABEL };

/** The facts every decision shares (see ClusterFacts for each field), as filters and scorers read them. */
type SharedFacts = Pick<ClusterFacts, 'name' | 'obj' | 'labels' | 'location' | 'region' | 'clusterKey' | 'ready'
  | 'readyTransition' | 'taints' | 'unschedulable' | 'evictAfterMs' | 'syncedResources' | 'allocatable'
  | 'allocated' | 'allocatableN'>;

export interface ClusterView extends SharedFacts {
  facts: ClusterFacts;
  /** allocatable − allocated + what this workload already uses here; undefined when unreported. */
  free: Amounts;
  /** Number view of free (NaN when unreported), for scorers' float arithmetic. */
  freeN: { cpu: number; memory: number };
  /** Whether the previous decision placed the workload here, and with how many replicas. */
  isPrevious: boolean;
  previousReplicas: number;
  /** Replicas of this workload that fit in `free` (Infinity: nothing limits it). */
  availableReplicas: number;
}

/**
 * `requestKey` names the workload's per-replica request (workloadView), so the replicas that fit
 * a cluster the workload is not on yet are computed once per (cluster, pod size).
 */
export function clusterView(
  f: ClusterFacts,
  w: WorkloadView,
  previous: ReadonlyMap<string, number | undefined>,
  requestKey: number,
): ClusterView {
  const isPrevious = previous.has(f.name);
  // Replicas already here count against `allocated`; give them back so a cluster is never judged
  // too small for what it already runs (Karmada's "fresh" add-back).
  const previousReplicas = isPrevious ? (previous.get(f.name) ?? w.replicas ?? 0) : 0;
  if (!isPrevious) {
    // The same for every decision about a pod of this size: built once, shared (read-only).
    return isMemoized(f, requestKey) ? memoValue<ClusterView>(f, requestKey) : remember(f, requestKey, view(f, false, 0, f.freeBase, f.freeBaseN, fits(f.freeBase, w.request)));
  }
  let free = f.freeBase;
  let freeN = f.freeBaseN;
  if (previousReplicas > 0) {
    free = { cpu: undefined, memory: undefined, pods: undefined };
    const prevN = BigInt(previousReplicas);
    for (const r of RESOURCES) {
      const base = f.freeBase[r];
      if (base !== undefined) free[r] = base + (w.request?.[r] ?? 0n) * prevN;
    }
    freeN = { cpu: toNumber(free.cpu), memory: toNumber(free.memory) };
  }
  return view(f, true, previousReplicas, free, freeN, fits(free, w.request));
}

function view(f: ClusterFacts, isPrevious: boolean, previousReplicas: number, free: Amounts, freeN: ClusterView['freeN'], availableReplicas: number): ClusterView {
  return {
    name: f.name,
    obj: f.obj,
    facts: f,
    labels: f.labels,
    location: f.location,
    region: f.region,
    clusterKey: f.clusterKey,
    ready: f.ready,
    readyTransition: f.readyTransition,
    taints: f.taints,
    unschedulable: f.unschedulable,
    evictAfterMs: f.evictAfterMs,
    syncedResources: f.syncedResources,
    allocatable: f.allocatable,
    allocated: f.allocated,
    free,
    allocatableN: f.allocatableN,
    freeN,
    isPrevious,
    previousReplicas,
    availableReplicas,
  };
}

/** Replicas of `request` that fit in `free` (exact); Infinity when no reported resource limits it. */
function fits(free: Amounts, request: Amounts | undefined): number {
  let n = Infinity;
  for (const r of RESOURCES) {
    const f = free[r];
    if (f === undefined) continue;
    const per = request?.[r] ?? 0n;
    if (per > 0n) {
      const fit = f <= 0n ? 0 : Number(f / per);
      if (fit < n) n = fit;
    }
  }
  return n;
}
