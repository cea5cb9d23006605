/**
 * Removing an object from one cluster: delete it downstream, and only once it is gone, release the
 * upstream object (finalizer `tmc.kcp.io/syncer-<key>`; for a soft delete via
 * `deletion.tmc.kcp.io/<key>` also the state label and that key's annotations, so the placement
 * sees the move completed). Never deletes a downstream object TMC does not own.
 */
import {
  CLUSTER_KEY_LABEL, deletionAnnotation, specDiffAnnotation, stateLabel, statusAnnotation, syncerFinalizer,
} from '../../apis/contract.js';
import { isConflict, isNotFound } from '../../errors/status.js';
import type { KubeObject } from '../../client/types.js';
import { SyncFailure } from '../conditions.js';
import type { SyncContext } from '../context.js';
import type { UpstreamRef } from '../keys.js';
import type { SyncedResource } from '../resources.js';
import { getLive } from '../downsync/apply.js';

/** Deletes our downstream object; true once nothing of ours remains under that name. */
export async function deleteDownstream(ctx: SyncContext, resource: SyncedResource, ns: string, name: string): Promise<boolean> {
  const obj = ctx.cache.get(resource, ns, name) ?? await getLive(ctx, resource, ns, name);
  if (!obj || obj.metadata?.labels?.[CLUSTER_KEY_LABEL] !== ctx.clusterKey) return true;
  if (!obj.metadata?.deletionTimestamp) {
    try {
      await ctx.downstreamClient.delete(resource.gvr, ns, name, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata?.uid } });
    } catch (err) {
      if (isNotFound(err)) return true;
      throw new SyncFailure('DeleteFailed', `deleting ${resource.kind} ${ns}/${name} downstream: ${(err as Error).message}`, { cause: err });
    }
  }
  // Gone now, or still terminating behind downstream finalizers (then the caller requeues).
  return (await getLive(ctx, resource, ns, name)) === undefined;
}

export type ReleaseKind =
  /** the upstream object is being deleted: drop our finalizer */
  | 'upstream-deleted'
  /** deletion.tmc.kcp.io/<key> was set: drop finalizer, state label and this key's annotations */
  | 'soft-deleted'
  /** the state label went away: drop finalizer and this key's status */
  | 'unassigned';

/** The merge patch that releases the upstream object for this cluster (undefined = nothing to do). */
export function releasePatch(upstreamObj: KubeObject, clusterKey: string, kind: ReleaseKind): Record<string, unknown> | undefined {
  const meta = upstreamObj.metadata ?? {};
  const finalizer = syncerFinalizer(clusterKey);
  const patch: { metadata: Record<string, unknown> } = { metadata: {} };
  if (meta.finalizers?.includes(finalizer)) {
    patch.metadata.finalizers = meta.finalizers.filter((f) => f !== finalizer);
    // The list is replaced wholesale: the resourceVersion makes a concurrent change a 409, not a lost finalizer.
    patch.metadata.resourceVersion = meta.resourceVersion;
  }
  if (kind !== 'upstream-deleted') {
    const annotations: Record<string, null> = {};
    const drop = kind === 'soft-deleted'
      ? [deletionAnnotation(clusterKey), specDiffAnnotation(clusterKey), statusAnnotation(clusterKey)]
      : [deletionAnnotation(clusterKey), statusAnnotation(clusterKey)];
    for (const a of drop) if (meta.annotations?.[a] !== undefined) annotations[a] = null;
    if (Object.keys(annotations).length) patch.metadata.annotations = annotations;
    if (kind === 'soft-deleted' && meta.labels?.[stateLabel(clusterKey)] !== undefined) patch.metadata.labels = { [stateLabel(clusterKey)]: null };
  }
  return Object.keys(patch.metadata).length ? patch : undefined;
}

export async function releaseUpstream(ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject, kind: ReleaseKind): Promise<void> {
  // Through the syncer VW only the finalizer may change; placement drops the label and annotations.
  let obj: KubeObject | undefined = upstreamObj;
  for (let attempt = 0; obj; attempt++) {
    const patch = releasePatch(obj, ctx.clusterKey, ctx.source.mode === 'syncer-vw' ? 'upstream-deleted' : kind);
    if (!patch) return;
    try {
      await ctx.source.patch(ref, patch);
      return;
    } catch (err) {
      if (isNotFound(err)) return; // its last finalizer went: the object is gone, nothing to release
      // A concurrent write moved the resourceVersion: re-read and retry now, not after a backoff.
      if (!isConflict(err) || attempt >= 4) throw err;
      obj = await ctx.source.fetch(ref);
    }
  }
}
