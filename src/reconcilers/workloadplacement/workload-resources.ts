/**
 * The workload types the controller watches: those of the `kubernetes` APIExport in root:compute
 * (DESIGN.md §3). A placement's workloadTypes choose among them; a kind not listed here is never
 * seen, so never placed.
 */
import type { GroupVersionResource } from '../../client/resource-path.js';

export interface WorkloadResource {
  gvr: GroupVersionResource;
  kind: string;
}

export const DEFAULT_WORKLOAD_RESOURCES: readonly WorkloadResource[] = [
  { gvr: { group: 'apps', version: 'v1', resource: 'deployments' }, kind: 'Deployment' },
  { gvr: { group: 'apps', version: 'v1', resource: 'statefulsets' }, kind: 'StatefulSet' },
  { gvr: { group: 'apps', version: 'v1', resource: 'daemonsets' }, kind: 'DaemonSet' },
  { gvr: { group: 'batch', version: 'v1', resource: 'jobs' }, kind: 'Job' },
  { gvr: { group: '', version: 'v1', resource: 'services' }, kind: 'Service' },
  { gvr: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' }, kind: 'Ingress' },
  { gvr: { group: '', version: 'v1', resource: 'persistentvolumeclaims' }, kind: 'PersistentVolumeClaim' },
];

/** The resource of a workload object, by its apiVersion and kind. */
export function resourceFor(resources: readonly WorkloadResource[], apiVersion: string | undefined, kind: string | undefined): GroupVersionResource | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return resources.find((r) => r.kind === kind && r.gvr.group === group)?.gvr;
}
