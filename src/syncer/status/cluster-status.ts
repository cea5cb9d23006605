/**
 * The per-cluster status (annotation `status.tmc.kcp.io/<key>`, JSON): the downstream object's
 * `.status` with two changes — observedGeneration is translated to the upstream generation it
 * corresponds to (downstream generations are the physical cluster's own counter), and a `Synced`
 * condition says whether the last sync worked and, if not, why.
 */
import { setCondition } from '../../apis/conditions.js';
import { rfc3339 } from '../../apis/time.js';
import {
  STATE_LABEL_PREFIX, STATUS_ANNOTATION_PREFIX, deletionAnnotation, failoverAnnotation, specDiffAnnotation, statusAnnotation,
} from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';
import { deepEqual } from '../../controllers/merge-patch.js';
import type { ClusterStatus, ReportedStatus } from '../aggregate/types.js';
import { UPSTREAM_GENERATION_ANNOTATION } from '../annotations.js';
import { SYNCED, type Condition } from '../conditions.js';
import { cloneValue } from '../../machinery/objects.js';

export function reportedStatus(downstreamObj: KubeObject | undefined, synced: Condition, previous: ReportedStatus | undefined): ReportedStatus {
  const status = cloneValue(((downstreamObj as { status?: ReportedStatus } | undefined)?.status) ?? {}) as ReportedStatus;
  delete status.observedGeneration;
  const og = mappedObservedGeneration(downstreamObj);
  if (og !== undefined) status.observedGeneration = og;
  // Keep the previous Synced transition time when nothing about it changed.
  const prevSynced = previous?.conditions?.filter((c) => c.type === SYNCED) ?? [];
  const withSynced = setCondition(prevSynced, synced, synced.lastTransitionTime ?? rfc3339());
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== SYNCED), ...withSynced];
  return status;
}

/**
 * The upstream generation the cluster has caught up with: the one recorded on the downstream
 * object when the downstream controller has observed the downstream generation; otherwise one
 * less (not caught up). Objects without generations (ConfigMaps) report nothing.
 */
function mappedObservedGeneration(downstreamObj: KubeObject | undefined): number | undefined {
  const upstreamGen = Number(downstreamObj?.metadata?.annotations?.[UPSTREAM_GENERATION_ANNOTATION]);
  const gen = downstreamObj?.metadata?.generation;
  const observed = (downstreamObj as { status?: { observedGeneration?: unknown } } | undefined)?.status?.observedGeneration;
  if (!Number.isInteger(upstreamGen) || gen === undefined || typeof observed !== 'number') return undefined;
  return observed >= gen ? upstreamGen : upstreamGen - 1;
}

export function parseReportedStatus(upstreamObj: KubeObject, clusterKey: string): ReportedStatus | undefined {
  const raw = upstreamObj.metadata?.annotations?.[statusAnnotation(clusterKey)];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? v as ReportedStatus : undefined;
  } catch {
    return undefined;
  }
}

/** True when the annotation already says this (ignoring key order). */
export function sameReportedStatus(a: ReportedStatus | undefined, b: ReportedStatus): boolean {
  return a !== undefined && deepEqual(a as never, b as never);
}

/** The clusters the object is synced to (`Sync` label) that have not reported a status yet. */
export function unreportedClusters(upstreamObj: KubeObject): string[] {
  const annotations = upstreamObj.metadata?.annotations ?? {};
  const out: string[] = [];
  for (const [k, v] of Object.entries(upstreamObj.metadata?.labels ?? {})) {
    if (!k.startsWith(STATE_LABEL_PREFIX) || v !== 'Sync') continue;
    const cluster = k.slice(STATE_LABEL_PREFIX.length);
    if (annotations[statusAnnotation(cluster)] === undefined) out.push(cluster);
  }
  return out;
}

/**
 * Every cluster the upstream object is synced to (`state.tmc.kcp.io/<key>=Sync`) with its reported
 * status; a cluster that has not reported yet is included with an empty status, so the aggregate
 * says "not reported" instead of silently counting fewer clusters.
 */
export function clusterStatusesOf(upstreamObj: KubeObject): ClusterStatus[] {
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(upstreamObj.metadata?.labels ?? {})) {
    if (k.startsWith(STATE_LABEL_PREFIX) && v === 'Sync') keys.add(k.slice(STATE_LABEL_PREFIX.length));
  }
  // A cluster being removed still reports until its syncer strips the annotation.
  for (const k of Object.keys(upstreamObj.metadata?.annotations ?? {})) {
    if (k.startsWith(STATUS_ANNOTATION_PREFIX)) keys.add(k.slice(STATUS_ANNOTATION_PREFIX.length));
  }
  return [...keys].sort().map((key) => {
    const c: ClusterStatus = { key, status: parseReportedStatus(upstreamObj, key) ?? {} };
    const share = shareOf(upstreamObj, key);
    if (share !== undefined) c.share = share;
    const old = oldCopyReason(upstreamObj, key);
    if (old !== undefined) c.old = old;
    return c;
  });
}

/**
 * The replicas the cluster is asked to run: the last `/spec/replicas` of its spec-diff (its Divided
 * share, or an override), else the upstream spec.replicas (Duplicated, or one cluster); undefined
 * for kinds without replicas.
 */
function shareOf(upstreamObj: KubeObject, key: string): number | undefined {
  let share: number | undefined;
  const spec = (upstreamObj as { spec?: { replicas?: unknown } }).spec;
  if (typeof spec?.replicas === 'number' && Number.isInteger(spec.replicas)) share = spec.replicas;
  const raw = upstreamObj.metadata?.annotations?.[specDiffAnnotation(key)];
  if (!raw) return share;
  try {
    const ops = JSON.parse(raw) as unknown;
    if (!Array.isArray(ops)) return share;
    for (const op of ops as Array<{ op?: unknown; path?: unknown; value?: unknown }>) {
      if ((op?.op === 'replace' || op?.op === 'add') && op.path === '/spec/replicas' && Number.isInteger(op.value)) share = op.value as number;
    }
  } catch {
    // a broken spec-diff is the syncer's to report; the share stays the whole
  }
  return share;
}

/** Why the copy on this cluster is an old one: a failover keeps it, or it is being removed. */
function oldCopyReason(upstreamObj: KubeObject, key: string): string | undefined {
  const annotations = upstreamObj.metadata?.annotations ?? {};
  const failover = annotations[failoverAnnotation(key)];
  if (annotations[deletionAnnotation(key)] !== undefined) return failover ? `being removed; ${failover}` : 'being removed';
  return failover;
}
