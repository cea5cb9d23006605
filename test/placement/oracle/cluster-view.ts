/**
 * One pass over each ClusterRegistration that turns it into the numbers filters and scorers use:
 * readiness, free resources (exact), replicas that still fit, whether it already holds the
 * workload. Built once per call so no plugin parses a quantity or a timestamp twice.
 */
import { type Amounts, type QuantityCache, RESOURCES } from './resources.js';
import { parseTime } from './time.js';
import type { ClusterRegistration, Taint } from './types.js';
import type { WorkloadView } from './workload-view.js';

export const REGION_LABEL = 'topology.kubernetes.io/region';

export interface ClusterView {
  name: string;
  obj: ClusterRegistration;
  labels: Record<string, string>;
  location: string | undefined;
  region: string | undefined;
  clusterKey: string | undefined;
  ready: boolean;
  /** When the Ready condition last changed (RFC3339); parsed only when a filter needs it. */
  readyTransition: string | undefined;
  taints: Taint[];
  unschedulable: boolean;
  evictAfterMs: number | undefined;
  /** undefined: the cluster does not say, so every resource is assumed compatible. */
  syncedResources: readonly string[] | undefined;
  /** Effective allocatable: spec.capacity per resource when set, else status.allocatable. */
  allocatable: Amounts;
  allocated: Amounts;
  /** allocatable − allocated + what this workload already uses here; undefined when unreported. */
  free: Amounts;
  /** Number views of allocatable and free (NaN when unreported), for scorers' float arithmetic. */
  allocatableN: { cpu: number; memory: number };
  freeN: { cpu: number; memory: number };
  /** Whether the previous decision placed the workload here, and with how many replicas. */
  isPrevious: boolean;
  previousReplicas: number;
  /** Replicas of this workload that fit in `free` (Infinity: nothing limits it). */
  availableReplicas: number;
}

export function clusterView(
  c: ClusterRegistration,
  w: WorkloadView,
  previous: Map<string, number | undefined>,
  q: QuantityCache,
): ClusterView {
  const name = c.metadata.name;
  const labels = c.metadata.labels ?? {};
  const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
  const override = q.amounts(c.spec?.capacity);
  const reported = q.amounts(c.status?.allocatable);
  const allocatable: Amounts = {
    cpu: override.cpu ?? reported.cpu,
    memory: override.memory ?? reported.memory,
    pods: override.pods ?? reported.pods,
  };
  const allocated = q.amounts(c.status?.allocated);
  const isPrevious = previous.has(name);
  // Replicas already here count against `allocated`; give them back so a cluster is never judged
  // too small for what it already runs (Karmada's "fresh" add-back).
  const previousReplicas = isPrevious ? (previous.get(name) ?? w.replicas ?? 0) : 0;
  const free: Amounts = { cpu: undefined, memory: undefined, pods: undefined };
  let availableReplicas = Infinity;
  const prevN = previousReplicas > 0 ? BigInt(previousReplicas) : 0n;
  for (const r of RESOURCES) {
    const a = allocatable[r];
    if (a === undefined) continue;
    const per = w.request?.[r] ?? 0n;
    let f = a - (allocated[r] ?? 0n);
    if (prevN > 0n) f += per * prevN;
    free[r] = f;
    if (per > 0n) {
      const fit = f <= 0n ? 0 : Number(f / per);
      if (fit < availableReplicas) availableReplicas = fit;
    }
  }
  const synced = c.status?.syncedResources?.flatMap((e) => {
    if (typeof e === 'string') return [e];
    if (e.state && e.state !== 'Accepted') return [];
    return [e.group ? `${e.resource}.${e.group}` : e.resource];
  });
  return {
    name,
    obj: c,
    labels,
    location: c.spec?.location,
    region: labels[REGION_LABEL],
    clusterKey: c.status?.clusterKey,
    ready: ready?.status === 'True',
    readyTransition: ready?.lastTransitionTime,
    taints: c.spec?.taints ?? [],
    unschedulable: c.spec?.unschedulable === true,
    evictAfterMs: c.spec?.evictAfter ? parseTime(c.spec.evictAfter) : undefined,
    syncedResources: synced,
    allocatable,
    allocated,
    free,
    allocatableN: { cpu: toNumber(allocatable.cpu), memory: toNumber(allocatable.memory) },
    freeN: { cpu: toNumber(free.cpu), memory: toNumber(free.memory) },
    isPrevious,
    previousReplicas,
    availableReplicas,
  };
}

function toNumber(nanos: bigint | undefined): number {
  return nanos === undefined ? NaN : Number(nanos) / 1e9;
}

/**
 * Fraction (0..1+) of a resource in use after adding `extra` base units (cores, bytes);
 * undefined when unreported. Floats are fine here: this only ranks, never decides a fit.
 */
export function usedFraction(c: ClusterView, r: 'cpu' | 'memory', extra: number): number | undefined {
  const a = c.allocatableN[r];
  if (!(a > 0)) return undefined;
  const free = c.freeN[r];
  const used = (Number.isNaN(free) ? 0 : a - free) + extra;
  return used / a;
}
