/**
 * Housekeeping of one downstream namespace (queue key `ns#<name>`):
 * 1. dependencies (ConfigMaps/Secrets labelled tmc.kcp.io/dependency) that neither a synced
 *    workload in the namespace nor an upstream workload placed here references are deleted;
 * 2. a namespace with none of our objects left is deleted once it has been empty for
 *    `cleanDelayMs` (kcp's --downstream-namespace-clean-delay), so a workload moving in right after
 *    its neighbour left does not race the deletion.
 * Only namespaces labelled with this cluster key and carrying a locator are ever touched, and
 * never one that holds objects TMC does not own (deleting it would delete them).
 */
import { isNotFound } from '../../errors/status.js';
import type { KubeObject } from '../../client/types.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { DEPENDENCY_LABEL } from '../annotations.js';
import type { SyncContext } from '../context.js';
import { NAMESPACES } from '../downstream/downstream-cache.js';
import { CONFIGMAPS, SECRETS } from '../resources.js';
import { referencedInNamespace } from '../downsync/dependencies.js';
import { parseLocator } from '../downsync/namespace.js';
import { deleteDownstream } from './deletion.js';

export interface SweepState {
  /** When each namespace was first seen empty (ms since epoch). */
  emptySince: Map<string, number>;
  cleanDelayMs: number;
  nowMs(): number;
}

export async function sweepNamespace(ctx: SyncContext, state: SweepState, name: string): Promise<ReconcileResult> {
  const ns = ctx.cache.namespace(name);
  const locator = parseLocator(ns);
  if (!ns || ns.metadata?.deletionTimestamp || !locator) { state.emptySince.delete(name); return; }

  const referenced = referencedInNamespace(ctx, name, locator);
  for (const resource of [CONFIGMAPS, SECRETS]) {
    for (const dep of ctx.cache.list(resource, name)) {
      if (dep.metadata?.labels?.[DEPENDENCY_LABEL] !== 'true') continue;
      if (referenced.has(`${resource.kind}/${dep.metadata.name}`)) continue;
      await deleteDownstream(ctx, resource, name, dep.metadata.name!);
    }
  }

  const remaining = ctx.resources.reduce((n, r) => n + ctx.cache.list(r, name).length, 0);
  if (remaining > 0) { state.emptySince.delete(name); return; }
  const now = state.nowMs();
  const since = state.emptySince.get(name);
  if (since === undefined) {
    state.emptySince.set(name, now);
    return { requeueAfter: Math.max(1, state.cleanDelayMs) };
  }
  if (now - since < state.cleanDelayMs) return { requeueAfter: state.cleanDelayMs - (now - since) };
  state.emptySince.delete(name);
  // Our cache sees only our objects: ask the cluster whether anyone else put something here.
  if (await holdsForeignObjects(ctx, name)) return;
  try {
    await ctx.downstreamClient.delete(NAMESPACES, undefined, name, { preconditions: { uid: ns.metadata?.uid } });
    ctx.logger?.debug({ clusterKey: ctx.clusterKey, namespace: name }, 'deleted empty downstream namespace');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Objects the cluster itself creates in every namespace do not count. */
function isClusterManaged(obj: KubeObject): boolean {
  return obj.metadata?.name === 'kube-root-ca.crt' || (obj as { type?: string }).type === 'kubernetes.io/service-account-token';
}

async function holdsForeignObjects(ctx: SyncContext, namespace: string): Promise<boolean> {
  for (const resource of ctx.resources) {
    const items = (await ctx.downstreamClient.list(resource.gvr, { namespace, limit: 5 })).items;
    if (items.some((o) => !isClusterManaged(o))) return true;
  }
  return false;
}
