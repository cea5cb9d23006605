/**
 * Informer indexes, so an event on one object finds the placements it affects without a scan:
 * a ClusterRegistration → the placements whose location workspace it is in; a workload → the
 * placements of its namespace (and the one its annotation names). Index values carry the logical
 * cluster (`kcp.io/cluster`) so one wildcard informer over many workspaces works the same as one
 * informer per workspace.
 */
import { CLUSTER_ANNOTATION, PLACEMENT_ANNOTATION } from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';

export const BY_WORKSPACE = 'workspace';
export const BY_NAMESPACE = 'namespace';
export const BY_LOCATION = 'location';

export const workspaceOf = (obj: KubeObject): string => obj.metadata?.annotations?.[CLUSTER_ANNOTATION] ?? '';
export const namespaceKey = (workspace: string, namespace: string): string => `${workspace}|${namespace}`;

/** ClusterRegistrations by their workspace. */
export const byWorkspace = (obj: KubeObject): string[] => [workspaceOf(obj)];

/** Placements and workloads by workspace|namespace. */
export const byNamespace = (obj: KubeObject): string[] => [namespaceKey(workspaceOf(obj), obj.metadata?.namespace ?? '')];

/** Placements by the workspace whose ClusterRegistrations they use. */
export const byLocation = (obj: KubeObject): string[] => {
  const spec = obj.spec as { locationWorkspace?: string } | undefined;
  return [spec?.locationWorkspace || workspaceOf(obj)];
};

/** The placement a workload's annotation names, as `namespace/name`, if any. */
export const ownerOf = (obj: KubeObject): string | undefined => obj.metadata?.annotations?.[PLACEMENT_ANNOTATION];

/** Whether an update can change a placement decision (heartbeats and our own status writes cannot). */
export function clusterChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  const view = (o: KubeObject) => {
    const status = { ...(o.status as Record<string, unknown> | undefined) };
    delete status.lastHeartbeatTime;
    return JSON.stringify([o.metadata?.labels, o.spec, status, o.metadata?.deletionTimestamp]);
  };
  return view(oldObj) !== view(newObj);
}

export function workloadChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  const view = (o: KubeObject) => JSON.stringify([o.metadata?.labels, o.metadata?.annotations, o.metadata?.finalizers, o.spec, o.metadata?.deletionTimestamp]);
  return view(oldObj) !== view(newObj);
}

export function placementChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  return oldObj.metadata?.generation !== newObj.metadata?.generation
    || oldObj.metadata?.deletionTimestamp !== newObj.metadata?.deletionTimestamp;
}
