/**
 * URLs of the Kubernetes API the console calls: workspace paths (`/clusters/<ws>/…`), the
 * resources it reads, and the kinds a placement may select. Pure; bundled for the browser.
 */
import {
  DAEMONSETS, DEPLOYMENTS, INGRESSES, JOBS, PERSISTENT_VOLUME_CLAIMS, SERVICES, STATEFULSETS, WORKSPACES as WORKSPACES_GVR,
} from '../../apis/gvr.js';
import { CLUSTER_REGISTRATIONS, PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS } from '../../apis/tmc/gvr.js';

export interface Resource { group: string; version: string; resource: string; namespaced: boolean }

export const CLUSTERS: Resource = { ...CLUSTER_REGISTRATIONS, namespaced: false };
export const PLACEMENTS: Resource = { ...WORKLOAD_PLACEMENTS, namespaced: true };
export const DECISIONS: Resource = { ...PLACEMENT_DECISIONS, namespaced: true };
export const WORKSPACES: Resource = { ...WORKSPACES_GVR, namespaced: false };

/** The workload kinds TMC places (the `kubernetes` APIExport), by kind. */
export const WORKLOAD_KINDS: Record<string, Resource> = {
  Deployment: { ...DEPLOYMENTS, namespaced: true },
  StatefulSet: { ...STATEFULSETS, namespaced: true },
  DaemonSet: { ...DAEMONSETS, namespaced: true },
  Job: { ...JOBS, namespaced: true },
  Service: { ...SERVICES, namespaced: true },
  Ingress: { ...INGRESSES, namespaced: true },
  PersistentVolumeClaim: { ...PERSISTENT_VOLUME_CLAIMS, namespaced: true },
};

/** Logical-cluster paths are lowercase RFC 1123 labels joined by ':' (what the server accepts). */
const WORKSPACE_PATH = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const isWorkspacePath = (ws: string): boolean => WORKSPACE_PATH.test(ws) && ws.length <= 253;

/** `/clusters/<ws>/apis/<g>/<v>[/namespaces/<ns>]/<resource>[/<name>]`. */
export function resourcePath(ws: string, r: Resource, namespace?: string, name?: string): string {
  const base = r.group === '' ? `/clusters/${ws}/api/${r.version}` : `/clusters/${ws}/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export interface ListOptions { labelSelector?: string; fieldSelector?: string }

export function listQuery(o: ListOptions & { watch?: boolean; resourceVersion?: string; timeoutSeconds?: number }): string {
  const q = new URLSearchParams();
  if (o.labelSelector) q.set('labelSelector', o.labelSelector);
  if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
  if (o.watch) {
    q.set('watch', 'true');
    q.set('allowWatchBookmarks', 'true');
  }
  if (o.resourceVersion) q.set('resourceVersion', o.resourceVersion);
  if (o.timeoutSeconds) q.set('timeoutSeconds', String(o.timeoutSeconds));
  const s = q.toString();
  return s ? `?${s}` : '';
}
