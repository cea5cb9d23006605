/**
 * Who a request is, for RBAC in the workspace it addresses. kcp's rule: a service account is
 * itself only in the workspace that issued its token (the `authentication.kcp.io/cluster-name`
 * extra); in any other workspace it is `system:anonymous` with `system:authenticated`. Without
 * this, `system:serviceaccount:default:bot` of team A would match a RoleBinding naming the
 * `default/bot` ServiceAccount of team B — names are not unique across workspaces.
 *
 * Users without that extra (certificates, static and minted tokens) are global identities and
 * pass through unchanged.
 */
import { CLUSTER_NAME_EXTRA } from './service-account-tokens.js';
import { GROUP_AUTHENTICATED, type UserInfo } from './user.js';

export const ANONYMOUS_USER = 'system:anonymous';

/**
 * `cluster` is the path a request addresses; `clusterName` gives its logical cluster name, which is
 * what the extra holds (a path there, as tokens reviewed before names existed carry, counts too).
 */
export function subjectInWorkspace(user: UserInfo, cluster: string, clusterName: (path: string) => string = (p) => p): { name: string; groups: string[] } {
  const home = user.extra?.[CLUSTER_NAME_EXTRA];
  if (!home || home.includes(cluster) || home.includes(clusterName(cluster))) return { name: user.name, groups: user.groups };
  return { name: ANONYMOUS_USER, groups: [GROUP_AUTHENTICATED] };
}
