/**
 * Reconcile of one upstream object for one cluster (level-based: it gets a ref, never an event):
 *
 *   not Sync for us (gone, label removed)  → delete downstream, release upstream  (lifecycle/)
 *   deletionTimestamp or deletion annotation → delete downstream, then release     (lifecycle/)
 *   otherwise: finalizer upstream → namespace → dependencies → apply → status       (here)
 *
 * Every SyncFailure is written as the `Synced` condition of this cluster's status before it is
 * rethrown for the queue's capped backoff.
 */
import { contextOfObject, isTracing, withSpan } from '../../observability/tracing.js';
import { deletionAnnotation, downstreamNamespaceName, stateLabel, syncerFinalizer } from '../../apis/contract.js';
import { realClock } from '../../client/clock.js';
import type { KubeObject } from '../../client/types.js';
import { isConflict, isStatusError } from '../../errors/status.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { SyncFailure, syncedCondition } from '../conditions.js';
import type { SyncContext } from '../context.js';
import { objectKey, type UpstreamRef } from '../keys.js';
import { deleteDownstream, releaseUpstream } from '../lifecycle/deletion.js';
import { parseReportedStatus, reportedStatus, sameReportedStatus } from '../status/cluster-status.js';
import { reportDelay } from '../status/report-pacing.js';
import { needsApply } from '../transform/drift.js';
import { toDownstream } from '../transform/transform.js';
import type { JsonPatchOp } from '../upstream/source.js';
import { applyDownstream } from './apply.js';
import { observeOperation, observePropagation, reportSyncFailure } from '../observations.js';
import { syncDependencies } from './dependencies.js';
import { ensureNamespaceCreated } from './namespace.js';

export interface ObjectSyncState {
  /** Enqueue the sweep of a downstream namespace (after a removal). */
  sweepNamespace(name: string): void;
  /** True when the object's dependencies are due a re-check (periodic; nothing watches them upstream). */
  dependenciesDue(ref: UpstreamRef): boolean;
  dependenciesChecked(ref: UpstreamRef): void;
}

const isSyncFor = (obj: KubeObject, key: string): boolean => obj.metadata?.labels?.[stateLabel(key)] === 'Sync';

export async function reconcileObject(ctx: SyncContext, state: ObjectSyncState, ref: UpstreamRef): Promise<ReconcileResult> {
  const downstreamNamespace = downstreamNamespaceName({ workspace: ref.workspace, namespace: ref.namespace, cluster: ctx.clusterKey });
  let upstreamObj = ctx.source.get(ref);
  if (!upstreamObj) {
    // Not in the view. Ask the server before deleting anything: a lagging or not-yet-started
    // informer must never cost a running workload (kcp #2041).
    const live = await ctx.source.fetch(ref);
    if (live && isSyncFor(live, ctx.clusterKey)) upstreamObj = live;
    else return removeFromCluster(ctx, state, ref, downstreamNamespace, live);
  }
  const meta = upstreamObj.metadata ?? {};
  if (meta.deletionTimestamp || meta.annotations?.[deletionAnnotation(ctx.clusterKey)] !== undefined) {
    return removeFromCluster(ctx, state, ref, downstreamNamespace, upstreamObj);
  }
  try {
    const parent = isTracing() ? contextOfObject(upstreamObj) : undefined;
    if (!parent) return await syncDown(ctx, state, ref, upstreamObj);
    const synced = upstreamObj;
    return await withSpan(`sync ${ref.resource.kind}`, {
      'tmc.cluster': ctx.clusterName ?? ctx.clusterKey, 'tmc.cluster_key': ctx.clusterKey, 'kcp.cluster': ref.workspace,
      'k8s.namespace': ref.namespace, 'k8s.name': ref.name, 'k8s.resource': ref.resource.gvr.resource,
    }, () => syncDown(ctx, state, ref, synced), { parent });
  } catch (err) {
    if (err instanceof SyncFailure) {
      reportSyncFailure(ctx, ref, upstreamObj, err);
      await reportFailure(ctx, ref, upstreamObj, downstreamNamespace, err);
    }
    throw err;
  }
}

async function syncDown(ctx: SyncContext, state: ObjectSyncState, ref: UpstreamRef, upstreamObj: KubeObject): Promise<ReconcileResult> {
  // 1. The finalizer goes on before anything exists downstream, so a deletion always waits for us.
  upstreamObj = await ensureFinalizer(ctx, ref, upstreamObj);
  // 2. The namespace, 3. the desired object (spec-diff applied).
  const { name: namespace, created: namespaceIsNew } = await ensureNamespaceCreated(ctx, { workspace: ref.workspace, namespace: ref.namespace, cluster: ctx.clusterKey });
  const desired = desiredFor(upstreamObj, ref, ctx.clusterKey, namespace);
  // 4. Dependencies first, so pods find their ConfigMaps and Secrets.
  const current = ctx.cache.get(ref.resource, namespace, ref.name);
  let dependencyFailure: SyncFailure | undefined;
  if (!current || needsApply(current, desired) || state.dependenciesDue(ref)) {
    dependencyFailure = await syncDependencies(ctx, ref, upstreamObj, namespace);
    state.dependenciesChecked(ref);
  }
  // 5. The object itself, 6. its status up (paced: status/report-pacing.ts).
  const downstreamObj = await applyDownstream(ctx, { resource: ref.resource, desired, upstreamRef: ref, upstreamObj, namespaceIsNew });
  const wait = await writeStatus(ctx, ref, upstreamObj, downstreamObj, dependencyFailure);
  if (dependencyFailure) throw dependencyFailure;
  if (wait > 0) return { requeueAfter: wait };
}

/**
 * The desired downstream object, computed once per upstream object version and cluster: the
 * informer's objects are immutable and replaced on change, and an object is reconciled several
 * times per version (its copy's creation, each status step of the copy, the report's echo), so the
 * transform and its hash ran again each time for the same result. Callers never mutate it.
 */
const desiredCache = new WeakMap<KubeObject, Map<string, KubeObject>>();
function desiredFor(upstreamObj: KubeObject, ref: UpstreamRef, clusterKey: string, namespace: string): KubeObject {
  let perCluster = desiredCache.get(upstreamObj);
  if (!perCluster) desiredCache.set(upstreamObj, perCluster = new Map());
  const key = `${clusterKey}/${namespace}/${ref.resource.gvr.group}/${ref.resource.gvr.resource}`;
  let desired = perCluster.get(key);
  if (!desired) {
    desired = toDownstream({ upstreamObj, resource: ref.resource, clusterKey, workspace: ref.workspace, downstreamNamespace: namespace });
    perCluster.set(key, desired);
  }
  return desired;
}

/** A JSON patch whose test failed (kube answers 422). */
const isInvalid = (err: unknown): boolean => isStatusError(err) && err.code === 422;

/**
 * Adds our finalizer with a strategic-merge patch: `metadata.finalizers` merges as a set, so the
 * server appends ours to whatever the list holds at that instant — no precondition, nothing to
 * conflict with. The M syncers of an object all add theirs at once; a JSON patch testing the list
 * failed for all but one of them each round (O(M²) 422s and re-reads per object: 2 700 of them
 * for 60 Deployments over 10 clusters).
 *
 * A resource served without strategic merge (415) falls back to a JSON patch whose precondition
 * is the finalizer list alone (`test` of the list as we know it, then `add`), retried on a fresh
 * read when the list changed under it. Either way another cluster's finalizer is never dropped and
 * ours never duplicated.
 */
async function ensureFinalizer(ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject): Promise<KubeObject> {
  const finalizer = syncerFinalizer(ctx.clusterKey);
  if (upstreamObj.metadata?.finalizers?.includes(finalizer)) return upstreamObj;
  try {
    return await ctx.source.patch(ref, { metadata: { finalizers: [finalizer] } }, 'strategic');
  } catch (err) {
    if (!(isStatusError(err) && err.code === 415)) throw err;
  }
  let obj: KubeObject | undefined = upstreamObj;
  for (let attempt = 0; ; attempt++) {
    const finalizers = obj.metadata?.finalizers;
    if (finalizers?.includes(finalizer)) return obj;
    const ops: JsonPatchOp[] = finalizers?.length
      ? [{ op: 'test', path: '/metadata/finalizers', value: finalizers }, { op: 'add', path: '/metadata/finalizers/-', value: finalizer }]
      : [{ op: 'test', path: '/metadata/finalizers', value: finalizers ?? null }, { op: 'add', path: '/metadata/finalizers', value: [finalizer] }];
    try {
      return await ctx.source.patch(ref, ops, 'json');
    } catch (err) {
      if (!(isConflict(err) || isInvalid(err)) || attempt >= 8) throw err;
      obj = await ctx.source.fetch(ref);
      if (!obj) throw err;
    }
  }
}

async function removeFromCluster(
  ctx: SyncContext, state: ObjectSyncState, ref: UpstreamRef, downstreamNamespace: string, upstreamObj: KubeObject | undefined,
): Promise<ReconcileResult> {
  let gone: boolean;
  try {
    gone = await deleteDownstream(ctx, ref.resource, downstreamNamespace, ref.name);
  } catch (err) {
    if (err instanceof SyncFailure && upstreamObj && isSyncFor(upstreamObj, ctx.clusterKey)) {
      reportSyncFailure(ctx, ref, upstreamObj, err);
      await reportFailure(ctx, ref, upstreamObj, downstreamNamespace, err);
    }
    throw err;
  }
  if (!gone) return { requeueAfter: 1000 }; // terminating behind downstream finalizers
  ctx.reportedAt?.delete(objectKey(ref));
  // A report still held for the batch must not land after the release removed it.
  await ctx.source.discardReport?.(ref);
  state.sweepNamespace(downstreamNamespace);
  if (!upstreamObj) return;
  const meta = upstreamObj.metadata ?? {};
  const kind = meta.deletionTimestamp ? 'upstream-deleted'
    : meta.annotations?.[deletionAnnotation(ctx.clusterKey)] !== undefined ? 'soft-deleted' : 'unassigned';
  await releaseUpstream(ctx, ref, upstreamObj, kind);
}

/**
 * Writes this cluster's report when it changed and its pacing allows; otherwise returns how long
 * to wait (the caller requeues, and the later reconcile reports the state as it is then).
 */
async function writeStatus(
  ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject, downstreamObj: KubeObject | undefined, failure: SyncFailure | undefined,
): Promise<number> {
  const previous = parseReportedStatus(upstreamObj, ctx.clusterKey);
  const next = reportedStatus(downstreamObj, syncedCondition(failure, ctx.now), previous);
  if (sameReportedStatus(previous, next)) return 0;
  const id = objectKey(ref);
  const copy = `${downstreamObj?.metadata?.namespace}/${downstreamObj?.metadata?.name}`;
  const nowMs = (ctx.clock ?? realClock).now();
  const wait = reportDelay({
    resource: ref.resource, downstreamObj, previous, next, nowMs,
    createdAt: previous === undefined ? ctx.createdCopies?.get(copy) : undefined,
    lastWrittenAt: ctx.reportedAt?.get(id),
  });
  if (wait > 0) return wait;
  try {
    if (!isTracing()) await ctx.source.writeClusterStatus(ref, next, previous);
    else await withSpan('sync status write', { 'tmc.cluster_key': ctx.clusterKey }, () => ctx.source.writeClusterStatus(ref, next, previous));
  } catch (err) {
    observeOperation(ctx, 'status', false);
    throw err;
  }
  ctx.createdCopies?.delete(copy);
  ctx.reportedAt?.set(id, nowMs);
  observeOperation(ctx, 'status', true);
  if (downstreamObj) observePropagation(ctx, 'up', downstreamObj);
  return 0;
}

/** Best effort: the failure itself is what the queue retries; a failed report is logged. */
async function reportFailure(ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject, downstreamNamespace: string, failure: SyncFailure): Promise<void> {
  try {
    await writeStatus(ctx, ref, upstreamObj, ctx.cache.get(ref.resource, downstreamNamespace, ref.name), failure);
  } catch (err) {
    ctx.logger?.warn({ clusterKey: ctx.clusterKey, object: `${ref.workspace}|${ref.namespace}/${ref.name}`, err }, 'could not record the sync failure upstream');
  }
}
