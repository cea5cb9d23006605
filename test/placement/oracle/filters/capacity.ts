/**
 * Capacity fit: what the workload asks of this cluster (per-replica pod requests × the replicas it
 * would get) against allocatable − allocated, for cpu, memory and pods. Duplicated placements
 * need room for all replicas; Divided ones for at least one (the division then never gives a
 * cluster more than fits). Replicas already running here are given back before comparing. A
 * resource the cluster does not report never fails. An already-placed cluster that no longer
 * fits is kept (never evict a running workload on a capacity estimate) but gets no more replicas.
 */
import { type ClusterView } from '../cluster-view.js';
import { Reason } from '../reasons.js';
import { formatAmount, RESOURCES, type ResourceName } from '../resources.js';
import { failNew, type FilterPlugin, PASS } from './types.js';

const REASONS: Record<ResourceName, string> = {
  cpu: Reason.InsufficientCPU,
  memory: Reason.InsufficientMemory,
  pods: Reason.InsufficientPods,
};

export const capacityFilter: FilterPlugin = {
  name: 'Capacity',
  enabled: (ctx) => ctx.workload.request !== undefined && (ctx.workload.replicas ?? 1) > 0,
  filter(c, ctx) {
    const need = ctx.divided ? 1 : (ctx.workload.replicas ?? 1);
    if (c.availableReplicas >= need) return PASS;
    const r = shortResource(c, ctx.workload.request!, need);
    const per = ctx.workload.request![r]!;
    const free = c.free[r]!;
    const msg = `needs ${formatAmount(r, per * BigInt(need))} ${r} for ${need} replica${need === 1 ? '' : 's'}, ${formatAmount(r, free > 0n ? free : 0n)} free`;
    return failNew(c, REASONS[r], msg);
  },
};

/** The first resource (cpu, memory, pods) that does not fit `need` replicas. */
function shortResource(c: ClusterView, request: Record<ResourceName, bigint | undefined>, need: number): ResourceName {
  for (const r of RESOURCES) {
    const per = request[r] ?? 0n;
    const free = c.free[r];
    if (per > 0n && free !== undefined && free < per * BigInt(need)) return r;
  }
  return 'pods';
}

