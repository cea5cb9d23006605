/**
 * One downstream object to its desired state: server-side apply (field manager `tmc-syncer`,
 * force) when it differs. An object of that name TMC does not own (no or another cluster-key label)
 * follows the placement's conflictResolution: Abort (default) leaves it alone and fails with
 * Conflict; Overwrite adopts it.
 */
import { SpanKind, isTracing, withSpan } from '../../observability/tracing.js';
import { CLUSTER_KEY_LABEL } from '../../apis/contract.js';
import { isNotFound } from '../../errors/status.js';
import type { KubeObject } from '../../client/types.js';
import { realClock } from '../../client/clock.js';
import { DESIRED_HASH_ANNOTATION, FIELD_MANAGER } from '../annotations.js';
import { SyncFailure } from '../conditions.js';
import type { SyncContext } from '../context.js';
import { observeOperation, observePropagation } from '../observations.js';
import type { UpstreamRef } from '../keys.js';
import type { SyncedResource } from '../resources.js';
import { needsApply } from '../transform/drift.js';

export interface ApplyTarget {
  resource: SyncedResource;
  desired: KubeObject;
  /** The upstream object whose placement decides conflicts. */
  upstreamRef: UpstreamRef;
  upstreamObj: KubeObject;
  /** The namespace was created by this very reconcile, so it holds nothing foreign: no conflict-check GET. */
  namespaceIsNew?: boolean;
}

/** The downstream object after this call (applied, or already as desired). */
export async function applyDownstream(ctx: SyncContext, t: ApplyTarget): Promise<KubeObject> {
  const ns = t.desired.metadata!.namespace!;
  const name = t.desired.metadata!.name!;
  const id = `${t.resource.gvr.resource}.${t.resource.gvr.group}/${ns}/${name}`;
  let current = ctx.cache.get(t.resource, ns, name);
  if (!current && !t.namespaceIsNew) {
    // The cache holds only labelled objects: look once before an apply could silently adopt.
    const live = await getLive(ctx, t.resource, ns, name);
    if (live && live.metadata?.labels?.[CLUSTER_KEY_LABEL] !== ctx.clusterKey) {
      const resolution = await ctx.source.conflictResolution(t.upstreamRef, t.upstreamObj);
      if (resolution === 'Abort') {
        throw new SyncFailure('Conflict',
          `${t.resource.kind} ${ns}/${name} already exists on the cluster and is not managed by TMC (conflictResolution: Abort)`);
      }
      ctx.logger?.info({ clusterKey: ctx.clusterKey, object: id }, 'adopting an existing downstream object (conflictResolution: Overwrite)');
    } else {
      current = live;
    }
  }
  const hash = t.desired.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] ?? '';
  if (current && !needsApply(current, t.desired)) return current;
  const last = ctx.lastApplied.get(id);
  if (current && last && last.hash === hash && last.resourceVersion === current.metadata?.resourceVersion) return current;
  let applied: KubeObject;
  try {
    const apply = () => ctx.downstreamClient.patch(t.resource.gvr, ns, name, t.desired, { type: 'apply', fieldManager: FIELD_MANAGER, force: true });
    applied = isTracing()
      ? await withSpan('sync downstream apply', { 'tmc.cluster_key': ctx.clusterKey, 'k8s.namespace': ns, 'k8s.name': name, 'k8s.resource': t.resource.gvr.resource }, apply, { kind: SpanKind.CLIENT })
      : await apply();
  } catch (err) {
    observeOperation(ctx, 'apply', false);
    throw new SyncFailure('ApplyFailed', `applying ${t.resource.kind} ${ns}/${name}: ${(err as Error).message}`, { cause: err });
  }
  observeOperation(ctx, 'apply', true);
  observePropagation(ctx, 'down', t.upstreamObj);
  ctx.lastApplied.set(id, { resourceVersion: applied.metadata?.resourceVersion ?? '', hash });
  if (!current) ctx.createdCopies?.set(`${ns}/${name}`, (ctx.clock ?? realClock).now());
  return applied;
}

export async function getLive(ctx: SyncContext, resource: SyncedResource, ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await ctx.downstreamClient.get(resource.gvr, ns, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
