/**
 * `/clusters/*`: reads across every workspace, as kcp serves them to its own privileged
 * controllers (a workspace-discovery informer is one wildcard watch on APIBindings instead of a
 * walk of the whole tree). Only `system:masters`, only list and watch of resources (and the
 * discovery documents kubectl reads first): workspace RBAC cannot grant it, since no workspace's
 * bindings speak for all of them. Virtual workspaces serve their own `clusters/*` views and do
 * not come through here.
 */
import { StatusError } from '../errors/status.js';
import type { UserInfo } from '../registry/hooks.js';
import { GROUP_MASTERS } from '../security/user.js';
import { parseRequestInfo } from './request-info.js';

export const WILDCARD_CLUSTER = '*';

/** Throws the Status to answer when a `/clusters/*` request may not be served. */
export function checkWildcardRequest(user: UserInfo, method: string, path: string, query: URLSearchParams): void {
  if (!user.groups.includes(GROUP_MASTERS)) {
    throw new StatusError(403, 'Forbidden', `user "${user.name}" cannot read across all workspaces: /clusters/* is served to system:masters only; use /clusters/<workspace>`);
  }
  if (path.startsWith('/openapi')) throw new StatusError(404, 'NotFound', 'the OpenAPI document is per workspace; use /clusters/<workspace>/openapi/v3');
  const info = parseRequestInfo(WILDCARD_CLUSTER, path, method, query);
  if (!info.isResource) return;
  if (info.verb !== 'list' && info.verb !== 'watch') {
    throw new StatusError(405, 'MethodNotAllowed', `only list and watch are served across all workspaces (/clusters/*); ${info.verb} needs /clusters/<workspace>`);
  }
}
