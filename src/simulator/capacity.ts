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

/** The packing state after some prefix of the demands: free capacity per node and results so far. */
interface PackState {
  free: Map<string, Resources>;
  placed: Map<string, number>;
  eligible: Map<string, number>;
  /** Eligible nodes per (nodeSelector, tolerations), valid for these nodes: most demands share one. */
  candidates: Map<string, NodeView[]>;
}

function freshState(nodes: NodeView[]): PackState {
  return { free: new Map(nodes.map((n) => [n.name, { ...n.allocatable }])), placed: new Map(), eligible: new Map(), candidates: new Map() };
}

/** What decides a demand's eligible nodes; '' for the common "anywhere untainted". */
const constraintsOf = (d: Demand): string =>
  (Object.keys(d.nodeSelector).length === 0 && d.tolerations.length === 0 ? '' : JSON.stringify([d.nodeSelector, d.tolerations]));

function packInto(s: PackState, nodes: NodeView[], demands: Demand[]): void {
  for (const d of demands) {
    const constraints = constraintsOf(d);
    let candidates = s.candidates.get(constraints);
    if (!candidates) s.candidates.set(constraints, candidates = nodes.filter((n) => eligible(n, d)));
    s.eligible.set(d.key, candidates.length);
    let n = 0;
    if (d.perNode) {
      for (const node of candidates) {
        const f = s.free.get(node.name)!;
        if (fits(f, d.request)) { take(f, d.request); n++; }
      }
    } else {
      for (let i = 0; i < d.count; i++) {
        let best: Resources | undefined;
        for (const node of candidates) {
          const f = s.free.get(node.name)!;
          if (fits(f, d.request) && (!best || f.cpuMilli > best.cpuMilli)) best = f;
        }
        if (!best) break; // identical pods: if one does not fit, none of the rest will
        take(best, d.request);
        n++;
      }
    }
    s.placed.set(d.key, n);
  }
}

/** Places the demands, in order, onto the nodes. */
export function pack(nodes: NodeView[], demands: Demand[]): Placement {
  const s = freshState(nodes);
  packInto(s, nodes, demands);
  return { placed: s.placed, eligible: s.eligible };
}

/** Everything about a demand that the packing reads, as one comparable string. */
export function demandSignature(d: Demand): string {
  const r = d.request;
  return `${d.key}\u0000${d.count}\u0000${d.perNode ? 1 : 0}\u0000${r.cpuMilli}\u0000${r.memory}\u0000${r.pods}\u0000${constraintsOf(d)}`;
}

export function nodeSignature(n: NodeView): string {
  return JSON.stringify([n.name, n.labels, n.allocatable, n.taints]);
}

/**
 * pack() across passes of the simulator. Packing is greedy in demand order, so when the nodes are
 * the same and the previous demands are a prefix of the new ones (a burst of new workloads: they
 * come last in first-seen order, and status writes change no demand), the state after that prefix
 * is the one the previous pass ended with and only the new demands need placing. Anything else (a
 * node, a deletion, a scale) packs from scratch. The result is always pack(nodes, demands).
 */
export class IncrementalPacker {
  private last: { nodes: string[]; demands: string[]; state: PackState } | undefined;

  /** Signatures are passed in (callers memoise them per watched object); the returned maps are the packer's: read, never keep. */
  pack(nodes: NodeView[], nodeSigs: string[], demands: Demand[], demandSigs: string[]): Placement {
    const last = this.last;
    if (last && sameList(last.nodes, nodeSigs) && last.demands.length <= demandSigs.length
      && samePrefix(last.demands, demandSigs)) {
      packInto(last.state, nodes, demands.slice(last.demands.length));
      last.demands = demandSigs;
      return { placed: last.state.placed, eligible: last.state.eligible };
    }
    const state = freshState(nodes);
    packInto(state, nodes, demands);
    this.last = { nodes: nodeSigs, demands: demandSigs, state };
    return { placed: state.placed, eligible: state.eligible };
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && samePrefix(a, b);
}

/** a is a prefix of b (b at least as long). */
function samePrefix(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
