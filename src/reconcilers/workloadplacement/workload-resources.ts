/**
 * The workload types the controller watches: those of the `kubernetes` APIExport in root:compute
 * (DESIGN.md §3). A placement's workloadTypes choose among them; a kind not listed here is never
 * seen, so never placed.
 */
import { DAEMONSETS, DEPLOYMENTS, INGRESSES, JOBS, PERSISTENT_VOLUME_CLAIMS, SERVICES, STATEFULSETS } from '../../apis/gvr.js';
import type { GroupVersionResource } from '../../client/resource-path.js';

export interface WorkloadResource {
  gvr: GroupVersionResource;
  kind: string;
}

export const DEFAULT_WORKLOAD_RESOURCES: readonly WorkloadResource[] = [
  { gvr: DEPLOYMENTS, kind: 'Deployment' },
  { gvr: STATEFULSETS, kind: 'StatefulSet' },
  { gvr: DAEMONSETS, kind: 'DaemonSet' },
  { gvr: JOBS, kind: 'Job' },
  { gvr: SERVICES, kind: 'Service' },
  { gvr: INGRESSES, kind: 'Ingress' },
  { gvr: PERSISTENT_VOLUME_CLAIMS, kind: 'PersistentVolumeClaim' },
];

/** The resource of a workload object, by its apiVersion and kind. */
export function resourceFor(resources: readonly WorkloadResource[], apiVersion: string | undefined, kind: string | undefined): GroupVersionResource | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return resources.find((r) => r.kind === kind && r.gvr.group === group)?.gvr;
}
