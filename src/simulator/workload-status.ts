/**
 * What kube's controllers would write into each workload's status, given how many of its pods
 * fit (capacity.ts) and whether the current generation's ready delay has passed (progress.ts).
 * Pure functions: the simulator loop compares their output with the live status and writes only
 * differences, so condition timestamps are carried over whenever a condition did not change.
 */
import { createHash } from 'node:crypto';
import { rfc3339 } from '../apis/time.js';
import type { KubeObject } from '../storage/types.js';
import { canonicalJSON } from '../machinery/json-text.js';

export interface StatusInput {
  /** The live object (its status is the previous one). */
  obj: KubeObject;
  /** Pods of it that fit on the nodes (capacity.ts). */
  placed: number;
  /** Nodes its pods may run on (DaemonSets). */
  eligible: number;
  /** The ready delay has passed since the generation (or the fit) last changed. */
  settled: boolean;
  /** The pod template changed in this generation: new pods are not ready until settled. */
  rollout: boolean;
  /** When the current generation was first seen (Job startTime). */
  since: Date;
  /** templateHash of obj's pod template when the caller already has it (progress.ts keeps it per generation). */
  templateHash?: string;
  now: Date;
}

type Condition = Record<string, unknown> & { type: string; status: string; reason?: string; message?: string };

/** A condition, keeping the previous timestamps when nothing about it changed (as kube's helpers do). */
function condition(prev: Condition[] | undefined, now: string, c: Condition, timeFields: string[]): Condition {
  const old = prev?.find((p) => p?.type === c.type);
  const out: Condition = { ...c };
  const same = old && old.status === c.status;
  const sameText = same && old.reason === c.reason && old.message === c.message;
  for (const f of timeFields) {
    if (f === 'lastTransitionTime') out[f] = same ? old[f] ?? now : now;
    else out[f] = sameText ? old[f] ?? now : now;
  }
  return out;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with sorted keys, so equal templates hash equally whatever their key order. */
function canonical(v: unknown): string {
  return canonicalJSON(v, { undefinedAsNull: true });
}

/**
 * Watched objects are immutable and every simulator pass looks at all of them, so a template's
 * hash is computed once per template object, not once per pass.
 */
const hashes = new WeakMap<object, string>();

/** A pod-template-hash-like 10-character suffix (kube's safe alphabet). */
export function templateHash(template: unknown): string {
  const memo = template && typeof template === 'object' ? hashes.get(template) : undefined;
  if (memo) return memo;
  const h = createHash('sha256').update(canonical(template ?? null)).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[h[i] % ALPHABET.length];
  if (template && typeof template === 'object') hashes.set(template, s);
  return s;
}

/** Resolves an int-or-percent against a total (percent rounded as asked). */
function intOrPercent(v: unknown, total: number, fallback: string, roundUp: boolean): number {
  const x = v ?? fallback;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(String(x));
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

/** deploymentutil.MaxUnavailable: how many pods may be missing while the Deployment is Available. */
export function maxUnavailable(obj: KubeObject, desired: number): number {
  const strategy = obj.spec?.strategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate' || desired === 0) return 0;
  const ru = strategy.rollingUpdate ?? {};
  const surge = intOrPercent(ru.maxSurge, desired, '25%', true);
  let unavailable = intOrPercent(ru.maxUnavailable, desired, '25%', false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return Math.min(unavailable, desired);
}

/** Drops zero counters, as kube's omitempty does. */
function counters(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v) out[k] = v;
  return out;
}

/** Pods ready now: all placed ones once settled; until then no more than were ready before. */
function readyNow(inp: StatusInput, prevReady: unknown): number {
  if (inp.settled) return inp.placed;
  return Math.min(typeof prevReady === 'number' ? prevReady : 0, inp.placed);
}

export function desiredReplicas(obj: KubeObject): number {
  const r = obj.spec?.replicas;
  return typeof r === 'number' && r >= 0 ? r : 1;
}

export function deploymentStatus(inp: StatusInput): Record<string, unknown> {
  const { obj } = inp;
  const prev = obj.status ?? {};
  const now = rfc3339(inp.now);
  const desired = desiredReplicas(obj);
  const ready = readyNow(inp, prev.readyReplicas);
  const updated = inp.rollout && !inp.settled ? 0 : desired;
  const rs = `${obj.metadata.name}-${inp.templateHash ?? templateHash(obj.spec?.template)}`;
  const minAvailable = desired - maxUnavailable(obj, desired);
  const times = ['lastUpdateTime', 'lastTransitionTime'];
  const available = ready >= minAvailable
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  const complete = inp.settled && ready === desired;
  const prevProgressing: Condition | undefined = prev.conditions?.find((c: Condition) => c?.type === 'Progressing');
  const stillRolling = prevProgressing && prevProgressing.status === 'True' && String(prevProgressing.message).includes(`"${rs}"`)
    && (prevProgressing.reason === 'NewReplicaSetCreated' || prevProgressing.reason === 'ReplicaSetUpdated');
  const progressing: Condition = complete
    ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` }
    : stillRolling
      ? { type: 'Progressing', status: 'True', reason: prevProgressing.reason, message: prevProgressing.message }
      : prevProgressing
        ? { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` }
        : { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rs}"` };
  return {
    observedGeneration: obj.metadata.generation ?? 1,
    ...counters({
      replicas: desired, updatedReplicas: updated, readyReplicas: ready, availableReplicas: ready,
      unavailableReplicas: Math.max(0, desired - ready),
    }),
    conditions: [condition(prev.conditions, now, available, times), condition(prev.conditions, now, progressing, times)],
  };
}

export function statefulSetStatus(inp: StatusInput): Record<string, unknown> {
  const { obj } = inp;
  const prev = obj.status ?? {};
  const desired = desiredReplicas(obj);
  const ready = readyNow(inp, prev.readyReplicas);
  // OrderedReady creates one pod at a time and waits for it: at most one pending pod exists
  const parallel = obj.spec?.podManagementPolicy === 'Parallel';
  const created = parallel ? desired : Math.min(desired, inp.placed + 1);
  const revision = `${obj.metadata.name}-${inp.templateHash ?? templateHash(obj.spec?.template)}`;
  const rolling = inp.rollout && !inp.settled;
  return {
    observedGeneration: obj.metadata.generation ?? 1,
    replicas: created,
    ...counters({ readyReplicas: ready, currentReplicas: rolling ? 0 : created, updatedReplicas: rolling ? 0 : created }),
    availableReplicas: ready,
    currentRevision: rolling ? prev.currentRevision ?? revision : revision,
    updateRevision: revision,
    collisionCount: 0,
  };
}

export function daemonSetStatus(inp: StatusInput): Record<string, unknown> {
  const { obj } = inp;
  const prev = obj.status ?? {};
  const ready = readyNow(inp, prev.numberReady);
  const rolling = inp.rollout && !inp.settled;
  return {
    currentNumberScheduled: inp.placed,
    numberMisscheduled: 0,
    desiredNumberScheduled: inp.eligible,
    numberReady: ready,
    observedGeneration: obj.metadata.generation ?? 1,
    ...counters({
      updatedNumberScheduled: rolling ? 0 : inp.placed, numberAvailable: ready,
      numberUnavailable: Math.max(0, inp.eligible - ready),
    }),
  };
}

export function isJobFinished(obj: KubeObject): boolean {
  return (obj.status?.conditions ?? []).some((c: Condition) => (c?.type === 'Complete' || c?.type === 'Failed') && c.status === 'True');
}

/** Pods a running Job wants at once: parallelism, capped by the completions left. */
export function jobActivePods(obj: KubeObject): number {
  if (obj.spec?.suspend || isJobFinished(obj)) return 0;
  const completions = typeof obj.spec?.completions === 'number' ? obj.spec.completions : 1;
  const parallelism = typeof obj.spec?.parallelism === 'number' ? obj.spec.parallelism : 1;
  return Math.max(0, Math.min(parallelism, completions));
}

/** Jobs run for the ready delay once a pod fits, then succeed with every completion. */
export function jobStatus(inp: StatusInput): Record<string, unknown> {
  const { obj } = inp;
  const prev = obj.status ?? {};
  if (isJobFinished(obj)) return prev; // finished Jobs never change again
  const now = rfc3339(inp.now);
  const times = ['lastProbeTime', 'lastTransitionTime'];
  const startTime = prev.startTime ?? rfc3339(inp.since);
  if (obj.spec?.suspend) {
    return {
      ...prev, active: 0, ready: 0,
      conditions: [condition(prev.conditions, now, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, times)],
    };
  }
  const completions = typeof obj.spec?.completions === 'number' ? obj.spec.completions : 1;
  if (inp.settled && (inp.placed > 0 || completions === 0)) {
    const msg = 'Reached expected number of succeeded pods';
    return {
      startTime, completionTime: now, succeeded: completions, active: 0, ready: 0,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: msg, lastProbeTime: now, lastTransitionTime: now },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: msg, lastProbeTime: now, lastTransitionTime: now },
      ],
    };
  }
  return { startTime, active: jobActivePods(obj), ready: 0 };
}

/** A stable fake load-balancer address (172.18.255.0/24, as kind with MetalLB hands out). */
export function loadBalancerIP(namespace: string, name: string): string {
  const h = createHash('sha256').update(`${namespace}/${name}`).digest();
  return `172.18.255.${(h[0] % 250) + 1}`;
}

/** LoadBalancer Services get an ingress address once settled; others have none. */
export function serviceStatus(inp: StatusInput): Record<string, unknown> | undefined {
  const { obj } = inp;
  const isLB = obj.spec?.type === 'LoadBalancer';
  if (!isLB) return obj.status?.loadBalancer?.ingress?.length ? { loadBalancer: {} } : obj.status;
  if (!inp.settled) return obj.status;
  return { loadBalancer: { ingress: [{ ip: loadBalancerIP(obj.metadata.namespace ?? '', obj.metadata.name ?? '') }] } };
}
