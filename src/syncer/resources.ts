/**
 * The resources a syncer moves down. Workload types come from the `kubernetes` APIExport of
 * root:compute; ConfigMaps and Secrets are built into every workspace and travel either as
 * primaries (labelled Sync themselves) or as dependencies of a pod template.
 */
import * as GVR from '../apis/gvr.js';
import type { GroupVersionResource } from '../client/resource-path.js';

export interface SyncedResource {
  gvr: GroupVersionResource;
  kind: string;
  /** `apps/v1`, `v1`: what a downstream apply body carries. */
  apiVersion: string;
  /** Path to a pod template whose ConfigMap/Secret references travel with the object. */
  podTemplatePath?: readonly string[];
}

const res = (gvr: GroupVersionResource, kind: string, podTemplatePath?: string[]): SyncedResource => ({
  gvr, kind, apiVersion: gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version, podTemplatePath,
});

export const DEPLOYMENTS = res(GVR.DEPLOYMENTS, 'Deployment', ['spec', 'template']);
export const STATEFULSETS = res(GVR.STATEFULSETS, 'StatefulSet', ['spec', 'template']);
export const DAEMONSETS = res(GVR.DAEMONSETS, 'DaemonSet', ['spec', 'template']);
export const JOBS = res(GVR.JOBS, 'Job', ['spec', 'template']);
export const SERVICES = res(GVR.SERVICES, 'Service');
export const INGRESSES = res(GVR.INGRESSES, 'Ingress');
export const PVCS = res(GVR.PERSISTENT_VOLUME_CLAIMS, 'PersistentVolumeClaim');
export const CONFIGMAPS = res(GVR.CONFIGMAPS, 'ConfigMap');
export const SECRETS = res(GVR.SECRETS, 'Secret');

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
