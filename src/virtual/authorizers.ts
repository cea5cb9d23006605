/**
 * Who may use the virtual workspaces. The fixed rules (masters, TMC controllers, pull agents for
 * their own registration) answer without a policy lookup; `rbacExportAuthorizer` and
 * `rbacSyncAuthorizer` add kcp's RBAC checks for
 * everyone else — verb <verb> on `apiexports/content` named after the export in its workspace,
 * verb `sync` on the ClusterRegistration in its workspace — through an injected access check, so
 * a platform team grants VW access with ordinary (Cluster)Roles.
 */
import { forbidden } from '../errors/status.js';
import type { UserInfo } from '../registry/hooks.js';
import { CONTROLLERS_GROUP, GROUP_MASTERS, SYNCERS_GROUP, SYNCER_USER_PREFIX, syncerUserName } from '../security/user.js';

// The identities live in security/ (its token authenticator mints them); re-exported for the VW's users.
export { CONTROLLERS_GROUP, SYNCERS_GROUP, SYNCER_USER_PREFIX, syncerUserName } from '../security/user.js';
export const MASTERS = GROUP_MASTERS;

export interface ExportAccess { exportCluster: string; exportName: string; verb: string }
/** Throws a Forbidden StatusError when `user` may not use the APIExport's content. */
export type ExportAuthorizer = (user: UserInfo, a: ExportAccess) => void | Promise<void>;

export interface SyncAccess { workspace: string; name: string; verb: 'sync' }
/** Throws a Forbidden StatusError when `user` may not sync for the ClusterRegistration. */
export type SyncAuthorizer = (user: UserInfo, a: SyncAccess) => void | Promise<void>;

/** kcp checks verb <verb> on `apiexports/content` named after the export, in its workspace. */
export const defaultExportAuthorizer: ExportAuthorizer = (user, a) => {
  if (user.groups.includes(MASTERS) || user.groups.includes(CONTROLLERS_GROUP)) return;
  throw forbidden({ group: 'apis.kcp.io', resource: 'apiexports' }, a.exportName,
    `User "${user.name}" cannot ${a.verb} resource "apiexports/content" in API group "apis.kcp.io" in the workspace "${a.exportCluster}"`);
};

/**
 * Masters, and pull agents (group system:tmc:syncers). An agent whose user name follows the
 * `system:tmc:syncer:<workspace>:<name>` convention may only sync its own registration, so one
 * cluster's token never opens another cluster's view.
 */
export const defaultSyncAuthorizer: SyncAuthorizer = (user, a) => {
  if (user.groups.includes(MASTERS)) return;
  const ownName = !user.name.startsWith(SYNCER_USER_PREFIX) || user.name === syncerUserName(a.workspace, a.name);
  if (user.groups.includes(SYNCERS_GROUP) && ownName) return;
  throw forbidden({ group: 'tmc.kcp.io', resource: 'clusterregistrations' }, a.name,
    `User "${user.name}" cannot sync resource "clusterregistrations" in API group "tmc.kcp.io" in the workspace "${a.workspace}"`);
};

/** Whether RBAC in `cluster` allows the user the request; injected (the server's RBAC authorizer). */
export type AccessCheck = (user: UserInfo, a: {
  cluster: string; verb: string; apiGroup: string; resource: string; subresource?: string; name: string;
}) => Promise<boolean>;

type AccessAttributes = Parameters<AccessCheck>[1];

/** An authorizer that asks the fixed rules first and, when they deny, RBAC (the fixed denial stands if RBAC denies too). */
function fixedThenRBAC<A>(fixed: (user: UserInfo, a: A) => void | Promise<void>, allows: AccessCheck, attributes: (a: A) => AccessAttributes) {
  return async (user: UserInfo, a: A): Promise<void> => {
    try {
      await fixed(user, a);
    } catch (denied) {
      if (!(await allows(user, attributes(a)))) throw denied;
    }
  };
}

/** The fixed rules first, then RBAC: the request's verb on `apiexports/content` in the export's workspace. */
export function rbacExportAuthorizer(allows: AccessCheck, fixed: ExportAuthorizer = defaultExportAuthorizer): ExportAuthorizer {
  return fixedThenRBAC(fixed, allows, (a: ExportAccess) => ({ cluster: a.exportCluster, verb: a.verb, apiGroup: 'apis.kcp.io', resource: 'apiexports', subresource: 'content', name: a.exportName }));
}

/** The fixed rules first, then RBAC: verb `sync` on the ClusterRegistration in its workspace. */
export function rbacSyncAuthorizer(allows: AccessCheck, fixed: SyncAuthorizer = defaultSyncAuthorizer): SyncAuthorizer {
  return fixedThenRBAC(fixed, allows, (a: SyncAccess) => ({ cluster: a.workspace, verb: 'sync', apiGroup: 'tmc.kcp.io', resource: 'clusterregistrations', name: a.name }));
}
