/**
 * What the engine needs to know about a workload, read once: how many replicas, what one replica
 * requests, which API resource it is (for the API-compatibility filter) and the seed of the Random
 * scorer.
 */
import { NANO, type Amounts, type QuantityCache } from './resources.js';
import type { ScheduleOptions } from './schedule-input.js';
import type { ContainerLike, Workload } from './types.js';

export interface WorkloadView {
  obj: Workload;
  /** spec.replicas; kinds with a replicas field default to 1; undefined for kinds without one. */
  replicas: number | undefined;
  /** Per-replica requests (pods = 1); undefined when the workload runs no pods. */
  request: Amounts | undefined;
  /** `deployments.apps`, `services`, … */
  resource: string | undefined;
  seed: string;
}

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export function workloadView(w: Workload, opts: ScheduleOptions, q: QuantityCache): WorkloadView {
  const spec = w.spec ?? {};
  let replicas: number | undefined;
  if (typeof spec.replicas === 'number') replicas = Math.max(0, Math.floor(spec.replicas));
  else if (w.kind && REPLICATED_KINDS.has(w.kind)) replicas = 1;
  const podSpec = spec.template?.spec;
  const request = podSpec?.containers ? podRequest(podSpec.containers, podSpec.initContainers ?? [], q) : undefined;
  const seed = opts.randomSeed ?? w.metadata.uid ?? `${w.metadata.namespace ?? ''}/${w.metadata.name}`;
  return { obj: w, replicas, request, resource: opts.workloadResource ?? resourceOf(w), seed };
}

/** Kubernetes' effective pod request: max(Σ containers, max initContainer), per resource. */
function podRequest(containers: ContainerLike[], inits: ContainerLike[], q: QuantityCache): Amounts {
  const out: Amounts = { cpu: 0n, memory: 0n, pods: NANO };
  for (const r of ['cpu', 'memory'] as const) {
    let sum = 0n;
    for (const c of containers) sum += q.nanos(c.resources?.requests?.[r]) ?? 0n;
    let initMax = 0n;
    for (const c of inits) {
      const v = q.nanos(c.resources?.requests?.[r]) ?? 0n;
      if (v > initMax) initMax = v;
    }
    out[r] = sum > initMax ? sum : initMax;
  }
  return out;
}

/** `apps/v1` Deployment → `deployments.apps`; `v1` Service → `services`. */
export function resourceOf(w: Workload): string | undefined {
  if (!w.kind) return undefined;
  const group = w.apiVersion?.includes('/') ? w.apiVersion.split('/')[0] : '';
  const plural = pluralize(w.kind.toLowerCase());
  return group ? `${plural}.${group}` : plural;
}

function pluralize(k: string): string {
  if (k === 'endpoints') return k;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
