/**
 * The capacity arithmetic of a cluster, pure: Nodes' capacity/allocatable summed per resource
 * name, and the requests of the replicated workloads TMC placed there (per-pod request ×
 * replicas). Quantities are summed exactly (machinery/quantity) and written back as strings.
 */
import type { ResourceList } from '../../apis/tmc/index.js';
import { Quantity, tryParseQuantity } from '../../machinery/quantity.js';
import type { KubeObject } from '../../client/types.js';

type Sums = Map<string, Quantity>;

function addInto(sums: Sums, list: Record<string, unknown> | undefined, times = 1n): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = typeof raw === 'string' || typeof raw === 'number' ? tryParseQuantity(raw) : undefined;
    if (!q) continue; // a malformed quantity from the cluster is skipped, never fatal
    const scaled = q.mul(times);
    const prev = sums.get(name);
    sums.set(name, prev ? prev.add(scaled) : new Quantity(scaled.nanos, formatFor(name, q)));
  }
}

/** Memory-like resources print in binary units (16Gi), others in decimal (4, 500m). */
function formatFor(name: string, q: Quantity): Quantity['format'] {
  return name === 'memory' || name.endsWith('storage') ? 'BinarySI' : q.format === 'BinarySI' ? 'BinarySI' : 'DecimalSI';
}

function toList(sums: Sums): ResourceList {
  const out: ResourceList = {};
  for (const name of [...sums.keys()].sort()) out[name] = sums.get(name)!.toString();
  return out;
}

export interface NodeSums {
  nodeCount: number;
  capacity: ResourceList;
  allocatable: ResourceList;
}

/** Sums `status.capacity` and `status.allocatable` over Nodes (allocatable falls back to capacity). */
export function sumNodes(nodes: readonly KubeObject[]): NodeSums {
  const capacity: Sums = new Map();
  const allocatable: Sums = new Map();
  for (const node of nodes) {
    const status = node.status as { capacity?: Record<string, unknown>; allocatable?: Record<string, unknown> } | undefined;
    addInto(capacity, status?.capacity);
    addInto(allocatable, status?.allocatable ?? status?.capacity);
  }
  return { nodeCount: nodes.length, capacity: toList(capacity), allocatable: toList(allocatable) };
}

interface ContainerLike { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }

/**
 * One pod's effective request, as the kube scheduler computes it: per resource, the larger of the
 * sum over containers and the largest init container; a container naming only a limit requests
 * its limit (kube defaults requests to limits). `pods: 1`.
 */
export function podRequest(podSpec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } | undefined): Sums {
  const sum: Sums = new Map();
  for (const c of podSpec?.containers ?? []) addInto(sum, c.resources?.requests ?? c.resources?.limits);
  for (const c of podSpec?.initContainers ?? []) {
    const init: Sums = new Map();
    addInto(init, c.resources?.requests ?? c.resources?.limits);
    for (const [name, q] of init) {
      const cur = sum.get(name);
      if (!cur || q.cmp(cur) > 0) sum.set(name, q);
    }
  }
  sum.set('pods', Quantity.fromInt(1));
  return sum;
}

/** Σ over workloads of podRequest × spec.replicas (default 1). */
export function sumAllocated(workloads: readonly KubeObject[]): ResourceList {
  const total: Sums = new Map();
  for (const w of workloads) {
    const spec = w.spec as { replicas?: number; template?: { spec?: Parameters<typeof podRequest>[0] } } | undefined;
    const replicas = typeof spec?.replicas === 'number' ? Math.max(0, Math.floor(spec.replicas)) : 1;
    if (replicas === 0) continue;
    const perPod = podRequest(spec?.template?.spec);
    const asList: Record<string, string> = {};
    for (const [name, q] of perPod) asList[name] = q.toString();
    addInto(total, asList, BigInt(replicas));
  }
  return toList(total);
}

/** `status.capacity` after `spec.capacity` overrides (an override replaces the reported value). */
export function applyCapacityOverride(reported: ResourceList, override: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = { ...reported };
  for (const [name, value] of Object.entries(override ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  }
  return out;
}
