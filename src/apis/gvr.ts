/**
 * The Kubernetes and kcp resources TMC addresses by GroupVersionResource, declared once (the TMC
 * ones are generated into tmc/gvr.ts). Storage keys (`apps/deployments`) are a different form and
 * live with the store.
 *
 * May import: nothing outside src/apis.
 */
import type { GroupVersionResource } from './tmc/gvr.js';

export type { GroupVersionResource };

const gvr = (group: string, version: string, resource: string): GroupVersionResource => ({ group, version, resource });

// core/v1
export const NAMESPACES = gvr('', 'v1', 'namespaces');
export const NODES = gvr('', 'v1', 'nodes');
export const SECRETS = gvr('', 'v1', 'secrets');
export const CONFIGMAPS = gvr('', 'v1', 'configmaps');
export const SERVICE_ACCOUNTS = gvr('', 'v1', 'serviceaccounts');
export const SERVICES = gvr('', 'v1', 'services');
export const PERSISTENT_VOLUME_CLAIMS = gvr('', 'v1', 'persistentvolumeclaims');

// workloads
export const DEPLOYMENTS = gvr('apps', 'v1', 'deployments');
export const STATEFULSETS = gvr('apps', 'v1', 'statefulsets');
export const DAEMONSETS = gvr('apps', 'v1', 'daemonsets');
export const JOBS = gvr('batch', 'v1', 'jobs');
export const INGRESSES = gvr('networking.k8s.io', 'v1', 'ingresses');

// coordination, RBAC
export const LEASES = gvr('coordination.k8s.io', 'v1', 'leases');
export const CLUSTER_ROLES = gvr('rbac.authorization.k8s.io', 'v1', 'clusterroles');
export const CLUSTER_ROLE_BINDINGS = gvr('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings');

// kcp
export const WORKSPACES = gvr('tenancy.kcp.io', 'v1alpha1', 'workspaces');
export const API_EXPORTS = gvr('apis.kcp.io', 'v1alpha1', 'apiexports');
export const API_BINDINGS = gvr('apis.kcp.io', 'v1alpha1', 'apibindings');
export const API_RESOURCE_SCHEMAS = gvr('apis.kcp.io', 'v1alpha1', 'apiresourceschemas');
export const API_EXPORT_ENDPOINT_SLICES = gvr('apis.kcp.io', 'v1alpha1', 'apiexportendpointslices');
