/**
 * Informer indexes, so an event on one object finds the placements it affects without a scan:
 * a ClusterRegistration → the placements whose location workspace it is in; a workload → the
 * placements that name it or select by type/labels in its namespace (and the one its annotation
 * names); a placement → the workloads it names or owns and its PlacementDecisions; a cluster →
 * how many placements are on it. Index values carry the logical
 * cluster (its path, see clusterOf) so one wildcard informer over many workspaces works the same as one
 * informer per workspace.
 */
import { clusterOf, PLACEMENT_ANNOTATION, PLACEMENT_NAME_LABEL } from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';
import { stringifyJSON } from '../../machinery/json-text.js';

export const BY_WORKSPACE = 'workspace';
export const BY_NAMESPACE = 'namespace';
export const BY_LOCATION = 'location';
export const BY_WORKLOAD_NAME = 'workload-name';
export const BY_PLACED_ON = 'placed-on';
export const BY_OWNER = 'owner';
export const BY_PLACEMENT = 'placement';

export const workspaceOf = (obj: KubeObject): string => clusterOf(obj);
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

/**
 * Placements by the workloads they can select: `ws|ns|name` per `workloadSelector.names` entry,
 * or `ws|ns|*` for a selector without names (types or labels: any workload of the namespace).
 * A workload event then reaches the placements that name it plus the label-selecting ones, not
 * every placement of the namespace (10 000 placements each naming its one Deployment made every
 * workload event enqueue all 10 000).
 */
export const byWorkloadName = (obj: KubeObject): string[] => {
  const ws = workspaceOf(obj);
  const ns = obj.metadata?.namespace ?? '';
  const names = (obj.spec as { workloadSelector?: { names?: string[] } } | undefined)?.workloadSelector?.names;
  return names?.length ? names.map((n) => objectKey(ws, ns, n)) : [objectKey(ws, ns, '*')];
};
/** `ws|ns|name`: a workload a placement names (index value of BY_WORKLOAD_NAME; `*` for any). */
export const workloadNameKey = (workspace: string, namespace: string, name: string): string => objectKey(workspace, namespace, name);

/** PlacementDecisions by the placement they belong to (`ws|ns|placement`, from their label). */
export const byPlacement = (obj: KubeObject): string[] => {
  const name = obj.metadata?.labels?.[PLACEMENT_NAME_LABEL];
  return name ? [placementKey(workspaceOf(obj), obj.metadata?.namespace ?? '', name)] : [];
};
export const placementKey = (workspace: string, namespace: string, name: string): string => objectKey(workspace, namespace, name);

function objectKey(workspace: string, namespace: string, name: string): string {
  return `${namespaceKey(workspace, namespace)}|${name}`;
}

/** Placements by the clusters their status says they are on (`locationWs|cluster`): Balance's counts. */
export const byPlacedOn = (obj: KubeObject): string[] => {
  const location = byLocation(obj)[0];
  const decisions = (obj.status as { decisions?: Array<{ clusterName?: string }> } | undefined)?.decisions ?? [];
  return decisions.map((d) => placedOnKey(location, d.clusterName ?? ''));
};
export const placedOnKey = (locationWorkspace: string, clusterName: string): string => `${locationWorkspace}|${clusterName}`;

/** Workloads by the placement their annotation names (`ws|ns/name`). */
export const byOwner = (obj: KubeObject): string[] => {
  const owner = ownerOf(obj);
  return owner ? [ownerKey(workspaceOf(obj), owner)] : [];
};
export const ownerKey = (workspace: string, owner: string): string => `${workspace}|${owner}`;

/** The placement a workload's annotation names, as `namespace/name`, if any. */
export const ownerOf = (obj: KubeObject): string | undefined => obj.metadata?.annotations?.[PLACEMENT_ANNOTATION];

/** Whether an update can change a placement decision (heartbeats and our own status writes cannot). */
export function clusterChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  const view = (o: KubeObject) => {
    const status = { ...(o.status as Record<string, unknown> | undefined) };
    delete status.lastHeartbeatTime;
    return stringifyJSON([o.metadata?.labels, o.spec, status, o.metadata?.deletionTimestamp]);
  };
  return view(oldObj) !== view(newObj);
}

export function workloadChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  const view = (o: KubeObject) => stringifyJSON([o.metadata?.labels, o.metadata?.annotations, o.metadata?.finalizers, o.spec, o.metadata?.deletionTimestamp]);
  return view(oldObj) !== view(newObj);
}

export function placementChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  return oldObj.metadata?.generation !== newObj.metadata?.generation
    || oldObj.metadata?.deletionTimestamp !== newObj.metadata?.deletionTimestamp;
}
