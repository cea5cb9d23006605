/**
 * kcp's authorization checks expressed as RBAC attributes, so the server asks them the same way
 * everywhere and users grant them with ordinary (Cluster)Roles:
 *
 * - entering a workspace: verb `access` on the non-resource URL `/` in that workspace
 *   (kcp's workspace content authorizer; grant with `nonResourceURLs: ["/"], verbs: ["access"]`);
 * - binding an APIExport: verb `bind` on `apiexports/<name>` (group apis.kcp.io) in the export's
 *   workspace;
 * - running a syncer: verb `sync` on `clusterregistrations/<name>` (group tmc.kcp.io) in the
 *   workspace the ClusterRegistration lives in (DESIGN §3).
 */
import type { Attributes } from './rbac-rules.js';
import type { UserInfo } from './user.js';

export const APIS_GROUP = 'apis.kcp.io';
export const TMC_GROUP = 'tmc.kcp.io';

export function workspaceAccess(user: UserInfo, cluster: string): Attributes {
  return { user: user.name, groups: user.groups, cluster, verb: 'access', path: '/', resourceRequest: false };
}

export function apiExportBind(user: UserInfo, exportCluster: string, exportName: string): Attributes {
  return { user: user.name, groups: user.groups, cluster: exportCluster, verb: 'bind',
    apiGroup: APIS_GROUP, resource: 'apiexports', name: exportName };
}

export function clusterSync(user: UserInfo, cluster: string, registration: string): Attributes {
  return { user: user.name, groups: user.groups, cluster, verb: 'sync',
    apiGroup: TMC_GROUP, resource: 'clusterregistrations', name: registration };
}
