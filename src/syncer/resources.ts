/**
 * The resources a syncer moves down. Workload types come from the `kubernetes` APIExport of
 * root:compute; ConfigMaps and Secrets are built into every workspace and travel either as
 * primaries (labelled Sync themselves) or as dependencies of a pod template.
 */
import type { GroupVersionResource } from '../client/resource-path.js';

export interface SyncedResource {
  gvr: GroupVersionResource;
  kind: string;
  /** `apps/v1`, `v1`: what a downstream apply body carries. */
  apiVersion: string;
  /** Path to a pod template whose ConfigMap/Secret references travel with the object. */
  podTemplatePath?: readonly string[];
}

const res = (group: string, version: string, resource: string, kind: string, podTemplatePath?: string[]): SyncedResource => ({
  gvr: { group, version, resource }, kind, apiVersion: group ? `${group}/${version}` : version, podTemplatePath,
});

export const DEPLOYMENTS = res('apps', 'v1', 'deployments', 'Deployment', ['spec', 'template']);
export const STATEFULSETS = res('apps', 'v1', 'statefulsets', 'StatefulSet', ['spec', 'template']);
export const DAEMONSETS = res('apps', 'v1', 'daemonsets', 'DaemonSet', ['spec', 'template']);
export const JOBS = res('batch', 'v1', 'jobs', 'Job', ['spec', 'template']);
export const SERVICES = res('', 'v1', 'services', 'Service');
export const INGRESSES = res('networking.k8s.io', 'v1', 'ingresses', 'Ingress');
export const PVCS = res('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim');
export const CONFIGMAPS = res('', 'v1', 'configmaps', 'ConfigMap');
export const SECRETS = res('', 'v1', 'secrets', 'Secret');

/** Everything synced by default, in the order namespaces fill (dependencies first). */
export const DEFAULT_RESOURCES: readonly SyncedResource[] = [
  CONFIGMAPS, SECRETS, PVCS, SERVICES, INGRESSES, DEPLOYMENTS, STATEFULSETS, DAEMONSETS, JOBS,
];

/** `deployments.apps`, `services`: the resource's name in keys and in supportedResources. */
export function resourceId(r: SyncedResource): string {
  return r.gvr.group ? `${r.gvr.resource}.${r.gvr.group}` : r.gvr.resource;
}

/**
 * Keeps the resources a ClusterRegistration's spec.supportedResources lists (empty = all);
 * ConfigMaps and Secrets always stay, since pod templates need them.
 */
export function selectResources(all: readonly SyncedResource[], supported: readonly string[] | undefined): SyncedResource[] {
  if (!supported || supported.length === 0) return [...all];
  const want = new Set(supported);
  return all.filter((r) => r === CONFIGMAPS || r === SECRETS || want.has(resourceId(r)));
}
