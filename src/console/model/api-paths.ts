/**
 * URLs of the Kubernetes API the console calls: workspace paths (`/clusters/<ws>/…`), the
 * resources it reads, and the kinds a placement may select. Pure; bundled for the browser.
 */
import { CLUSTER_REGISTRATIONS, PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS } from '../../apis/tmc/gvr.js';

export interface Resource { group: string; version: string; resource: string; namespaced: boolean }

export const CLUSTERS: Resource = { ...CLUSTER_REGISTRATIONS, namespaced: false };
export const PLACEMENTS: Resource = { ...WORKLOAD_PLACEMENTS, namespaced: true };
export const DECISIONS: Resource = { ...PLACEMENT_DECISIONS, namespaced: true };
export const WORKSPACES: Resource = { group: 'tenancy.kcp.io', version: 'v1alpha1', resource: 'workspaces', namespaced: false };

/** The workload kinds TMC places (the `kubernetes` APIExport), by kind. */
export const WORKLOAD_KINDS: Record<string, Resource> = {
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  Job: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  Service: { group: '', version: 'v1', resource: 'services', namespaced: true },
  Ingress: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  PersistentVolumeClaim: { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true },
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
