/**
 * A cluster that is gone for good must never block upstream deletion (kcp #1720, #1353: workspaces
 * stuck on syncer finalizers). `releaseCluster` strips that cluster's finalizer and per-cluster
 * annotations (status, deletion) from every upstream object in the given workspaces; objects
 * already being deleted then go away. The state label is left to placement, which reschedules.
 *
 * Called by the SyncerManager when it sees a ClusterRegistration deleted; the registration
 * controller should call it too, from a finalizer on the ClusterRegistration, so a deletion while
 * no manager runs is not missed.
 */
import { deletionAnnotation, statusAnnotation, syncerFinalizer } from '../../apis/contract.js';
import { isConflict, isNotFound } from '../../errors/status.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import { DEFAULT_RESOURCES, type SyncedResource } from '../resources.js';

export interface ReleaseClusterOptions {
  /** Client for the server root; `forCluster(ws)` per workspace. */
  rootClient: KubeClient;
  workspaces: readonly string[];
  clusterKey: string;
  resources?: readonly SyncedResource[];
}

/** Returns how many upstream objects were changed. */
export async function releaseCluster(opts: ReleaseClusterOptions): Promise<number> {
  let changed = 0;
  const finalizer = syncerFinalizer(opts.clusterKey);
  for (const ws of opts.workspaces) {
    const client = opts.rootClient.forCluster(ws);
    for (const resource of opts.resources ?? DEFAULT_RESOURCES) {
      let items: KubeObject[];
      try {
        items = (await client.listAll(resource.gvr)).items;
      } catch (err) {
        if (isNotFound(err)) continue; // resource not bound in this workspace
        throw err;
      }
      for (const obj of items) {
        if (await releaseOne(client, resource, obj, finalizer, opts.clusterKey)) changed++;
      }
    }
  }
  return changed;
}

async function releaseOne(client: KubeClient, resource: SyncedResource, obj: KubeObject, finalizer: string, key: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const meta = obj.metadata ?? {};
    const annotations: Record<string, null> = {};
    for (const a of [statusAnnotation(key), deletionAnnotation(key)]) if (meta.annotations?.[a] !== undefined) annotations[a] = null;
    const hasFinalizer = meta.finalizers?.includes(finalizer) ?? false;
    if (!hasFinalizer && Object.keys(annotations).length === 0) return false;
    const patch: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
    if (hasFinalizer) patch.finalizers = meta.finalizers!.filter((f) => f !== finalizer);
    if (Object.keys(annotations).length) patch.annotations = annotations;
    try {
      await client.patch(resource.gvr, meta.namespace, meta.name!, { metadata: patch }, { type: 'merge' });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!isConflict(err)) throw err;
      try {
        obj = await client.get(resource.gvr, meta.namespace, meta.name!);
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    }
  }
  throw new Error(`releaseCluster: ${resource.kind} ${obj.metadata?.namespace}/${obj.metadata?.name} kept changing`);
}
