/**
 * The capacity model: how many of each workload's pods fit on the simulated nodes. Pure code (no
 * I/O, no clock), so the packing is easy to test and to reason about.
 *
 * A pod's request is what kube's scheduler uses: per resource, the larger of the sum over
 * containers and the largest init container; a container without a request falls back to its
 * limit (as kube defaults requests to limits), then to DEFAULT_REQUEST. Pods are placed one by one
 * on the eligible node with the most free CPU (least-allocated, like the default scheduler's
 * spreading), in the order the demands are given; whatever does not fit stays unscheduled.
 */
import { tryParseQuantity } from '../machinery/quantity.js';
import type { KubeObject } from '../storage/types.js';

/** Milli-CPU, bytes of memory, and a pod count. */
export interface Resources { cpuMilli: number; memory: number; pods: number }

/** Requests assumed for a container that names none (documented in docs/simulator.md). */
export const DEFAULT_REQUEST = { cpu: '100m', memory: '128Mi' } as const;

export interface Taint { key?: string; value?: string; effect?: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

export interface NodeView {
  name: string;
  labels: Record<string, string>;
  allocatable: Resources;
  taints: Taint[];
}

/** A group of identical pods a workload wants running. */
export interface Demand {
  key: string;
  request: Resources;
  /** Pods wanted (ignored when perNode). */
  count: number;
  /** DaemonSet: one pod on every eligible node. */
  perNode?: boolean;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

export interface Placement {
  /** Pods placed per demand key. */
  placed: Map<string, number>;
  /** Eligible node count per demand key (DaemonSets' desiredNumberScheduled). */
  eligible: Map<string, number>;
}

function milli(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const v = tryParseQuantity(q);
  return v ? Number(v.milliValue()) : undefined;
}

function bytes(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const v = tryParseQuantity(q);
  return v ? Number(v.value()) : undefined;
}

const DEFAULT_CPU = milli(DEFAULT_REQUEST.cpu)!;
const DEFAULT_MEMORY = bytes(DEFAULT_REQUEST.memory)!;

function containerRequest(c: any): { cpu: number; memory: number } {
  const req = c?.resources?.requests ?? {};
  const lim = c?.resources?.limits ?? {};
  return {
    cpu: milli(req.cpu) ?? milli(lim.cpu) ?? DEFAULT_CPU,
    memory: bytes(req.memory) ?? bytes(lim.memory) ?? DEFAULT_MEMORY,
  };
}

/** The scheduler's view of one pod of this pod spec. */
export function podRequest(podSpec: any): Resources {
  const containers: any[] = Array.isArray(podSpec?.containers) ? podSpec.containers : [];
  const inits: any[] = Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : [];
  let cpu = 0;
  let memory = 0;
  for (const c of containers) {
    const r = containerRequest(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  for (const c of inits) {
    const r = containerRequest(c);
    cpu = Math.max(cpu, r.cpu);
    memory = Math.max(memory, r.memory);
  }
  return { cpuMilli: cpu, memory, pods: 1 };
}

/** A Node object as the packer sees it, or undefined when nothing may be scheduled on it. */
export function nodeView(node: KubeObject): NodeView | undefined {
  if (node.spec?.unschedulable) return undefined;
  const ready = (node.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
  return {
    name: node.metadata.name ?? '',
    labels: node.metadata.labels ?? {},
    allocatable: { cpuMilli: milli(alloc.cpu) ?? 0, memory: bytes(alloc.memory) ?? 0, pods: Number(bytes(alloc.pods) ?? 0) },
    taints: Array.isArray(node.spec?.taints) ? node.spec.taints : [],
  };
}

function tolerates(tols: Toleration[], taint: Taint): boolean {
  return tols.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function eligible(node: NodeView, d: Demand): boolean {
  for (const [k, v] of Object.entries(d.nodeSelector)) if (node.labels[k] !== v) return false;
  return node.taints.every((t) => t.effect === 'PreferNoSchedule' || tolerates(d.tolerations, t));
}

function fits(free: Resources, r: Resources): boolean {
  return free.cpuMilli >= r.cpuMilli && free.memory >= r.memory && free.pods >= r.pods;
}

function take(free: Resources, r: Resources): void {
  free.cpuMilli -= r.cpuMilli;
  free.memory -= r.memory;
  free.pods -= r.pods;
}

/** Places the demands, in order, onto the nodes. */
export function pack(nodes: NodeView[], demands: Demand[]): Placement {
  const free = new Map(nodes.map((n) => [n.name, { ...n.allocatable }]));
  const placed = new Map<string, number>();
  const eligibleCount = new Map<string, number>();
  for (const d of demands) {
    const candidates = nodes.filter((n) => eligible(n, d));
    eligibleCount.set(d.key, candidates.length);
    let n = 0;
    if (d.perNode) {
      for (const node of candidates) {
        const f = free.get(node.name)!;
        if (fits(f, d.request)) { take(f, d.request); n++; }
      }
    } else {
      for (let i = 0; i < d.count; i++) {
        let best: Resources | undefined;
        for (const node of candidates) {
          const f = free.get(node.name)!;
          if (fits(f, d.request) && (!best || f.cpuMilli > best.cpuMilli)) best = f;
        }
        if (!best) break; // identical pods: if one does not fit, none of the rest will
        take(best, d.request);
        n++;
      }
    }
    placed.set(d.key, n);
  }
  return { placed, eligible: eligibleCount };
}
