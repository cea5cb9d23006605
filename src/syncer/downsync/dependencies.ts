/**
 * ConfigMaps and Secrets a workload's pod template references travel with it into the same
 * downstream namespace, labelled `tmc.kcp.io/dependency=true` so the namespace sweep removes them
 * once no synced workload references them. One that is itself labelled Sync for this cluster is
 * synced as a primary object instead (one writer per downstream object).
 */
import { deletionAnnotation, stateLabel, type NamespaceLocator } from '../../apis/contract.js';
import { clusterOf } from '../../client/object-cache.js';
import type { KubeObject } from '../../client/types.js';
import { SyncFailure } from '../conditions.js';
import type { SyncContext } from '../context.js';
import type { UpstreamRef } from '../keys.js';
import { CONFIGMAPS, SECRETS } from '../resources.js';
import { podTemplateOf, referencedObjects } from '../transform/references.js';
import { toDownstream } from '../transform/transform.js';
import { applyDownstream } from './apply.js';

/** Applies every dependency; returns the first failure (the workload is applied regardless). */
export async function syncDependencies(
  ctx: SyncContext, ref: UpstreamRef, upstreamObj: KubeObject, downstreamNamespace: string,
): Promise<SyncFailure | undefined> {
  if (!ref.resource.podTemplatePath) return undefined;
  let failure: SyncFailure | undefined;
  for (const r of referencedObjects(podTemplateOf(upstreamObj, ref.resource.podTemplatePath))) {
    const resource = r.kind === 'ConfigMap' ? CONFIGMAPS : SECRETS;
    if (!ctx.resources.includes(resource)) continue;
    const depRef: UpstreamRef = { resource, workspace: ref.workspace, namespace: ref.namespace, name: r.name };
    const dep = await ctx.source.fetch(depRef);
    if (!dep) {
      if (!r.optional) failure ??= new SyncFailure('DependencyNotFound', `${r.kind} ${ref.namespace}/${r.name} referenced by the pod template does not exist`);
      continue;
    }
    if (dep.metadata?.labels?.[stateLabel(ctx.clusterKey)] === 'Sync') continue;
    const desired = toDownstream({
      upstreamObj: dep, resource, clusterKey: ctx.clusterKey, workspace: ref.workspace, downstreamNamespace, dependency: true,
    });
    try {
      await applyDownstream(ctx, { resource, desired, upstreamRef: ref, upstreamObj });
    } catch (err) {
      if (!(err instanceof SyncFailure)) throw err;
      failure ??= err;
    }
  }
  return failure;
}

/**
 * Names (`ConfigMap/x`, `Secret/y`) a downstream namespace must keep: those its synced workloads
 * reference, and those referenced by the upstream workloads placed here (labelled Sync for this
 * cluster, not being removed). The second half matters because dependencies land before their
 * workload: a sweep in between sees no downstream referrer yet, and without the upstream view it
 * deleted the copy it had just made (ADDED, DELETED, ADDED downstream; missing until the resync).
 */
export function referencedInNamespace(ctx: SyncContext, downstreamNamespace: string, locator?: NamespaceLocator): Set<string> {
  const names = new Set<string>();
  if (locator) addPlacedReferences(ctx, locator, names);
  for (const resource of ctx.resources) {
    if (!resource.podTemplatePath) continue;
    for (const w of ctx.cache.list(resource, downstreamNamespace)) {
      if (w.metadata?.deletionTimestamp) continue;
      for (const r of referencedObjects(podTemplateOf(w, resource.podTemplatePath))) names.add(`${r.kind}/${r.name}`);
    }
  }
  return names;
}

function addPlacedReferences(ctx: SyncContext, locator: NamespaceLocator, names: Set<string>): void {
  const leaving = deletionAnnotation(ctx.clusterKey);
  for (const resource of ctx.resources) {
    if (!resource.podTemplatePath) continue;
    for (const w of ctx.source.list(resource)) {
      const meta = w.metadata;
      if (!meta || meta.namespace !== locator.namespace || clusterOf(w) !== locator.workspace) continue;
      if (meta.deletionTimestamp || meta.annotations?.[leaving] !== undefined) continue;
      if (meta.labels?.[stateLabel(ctx.clusterKey)] !== 'Sync') continue;
      for (const r of referencedObjects(podTemplateOf(w, resource.podTemplatePath))) names.add(`${r.kind}/${r.name}`);
    }
  }
}
