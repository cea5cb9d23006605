/**
 * kcp's initializingworkspaces virtual workspace, the view an initializer's controller works
 * through (kcp-dev/kcp pkg/virtual/initializingworkspaces):
 *   /services/initializingworkspaces/<initializer>/clusters/[*]/apis/core.kcp.io/v1alpha1/logicalclusters
 *     list/watch the LogicalClusters still Initializing with this initializer in status.initializers
 *     (one leaves the view, as a DELETED event, once the initializer is gone);
 *   /services/initializingworkspaces/<initializer>/clusters/<name|path>/apis/core.kcp.io/v1alpha1/logicalclusters/cluster[/status]
 *     get it; patch or update its status only to remove this initializer (anything else is 403);
 *   /services/initializingworkspaces/<initializer>/clusters/<name|path>/…
 *     the workspace's own content, while it is initializing with this initializer, for set-up.
 * `<initializer>` is `<logical cluster of the WorkspaceType's workspace>:<type name>`; the caller
 * needs verb `initialize` on that WorkspaceType (kcp's rule), or `system:masters`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../../apiserver/context.js';
import { parseRequestInfo } from '../../apiserver/request-info.js';
import { serveClusterPath } from '../../apiserver/router.js';
import type { VirtualWorkspace } from '../../apiserver/server.js';
import { badRequest, forbidden, methodNotAllowed, notFound } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore, PatchProducer } from '../../registry/generic-store.js';
import type { UserInfo } from '../../registry/hooks.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { LOGICAL_CLUSTER_NAME, LOGICAL_CLUSTER_RESOURCE } from '../../tenancy/workspaces/workspace-lifecycle.js';
import { MASTERS, type AccessCheck } from '../authorizers.js';
import { viewContext } from '../view-context.js';
import { parseViewPath } from '../view-path.js';
import { filteredStore } from '../view-store.js';
import { LruCache } from '../../machinery/lru-cache.js';

export const INITIALIZING_PREFIX = '/services/initializingworkspaces/';
const SHAPE = '/services/initializingworkspaces/<initializer>/clusters/<*|logical cluster>/…';
const WORKSPACE_TYPES = { group: 'tenancy.kcp.io', resource: 'workspacetypes' };

export interface InitializeAccess { cluster: string; typeName: string; initializer: string }
/** Throws a Forbidden StatusError when `user` may not act as the initializer. */
export type InitializeAuthorizer = (user: UserInfo, a: InitializeAccess) => void | Promise<void>;

/** `system:masters`, else RBAC: verb `initialize` on the WorkspaceType in its workspace. */
export function rbacInitializeAuthorizer(allows?: AccessCheck): InitializeAuthorizer {
  return async (user, a) => {
    if (user.groups.includes(MASTERS)) return;
    if (allows && await allows(user, { cluster: a.cluster, verb: 'initialize', apiGroup: WORKSPACE_TYPES.group, resource: WORKSPACE_TYPES.resource, name: a.typeName })) return;
    throw forbidden(WORKSPACE_TYPES, a.typeName, `User "${user.name}" cannot initialize resource "workspacetypes" in API group "tenancy.kcp.io" in the workspace "${a.cluster}" (needed for the initializer ${a.initializer})`);
  };
}

export interface InitializingVWDeps {
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  authorize?: InitializeAuthorizer;
  /** Resolves a logical cluster name in the URL to its workspace path. */
  clusters?: { resolve(nameOrPath: string): string };
}

const initializersOf = (lc: KubeObject | undefined): string[] => (Array.isArray(lc?.status?.initializers) ? lc!.status!.initializers as string[] : []);
const initializing = (lc: KubeObject | undefined, initializer: string) => lc?.status?.phase === 'Initializing' && initializersOf(lc).includes(initializer);
const isLogicalClusters = (def: ResourceDef) => def.group === 'core.kcp.io' && def.resource === 'logicalclusters';

/** What the initializer may write: the LogicalCluster's status, with its own entry removed and nothing else changed. */
function checkRemovesOnlyItself(initializer: string, live: KubeObject, next: KubeObject, subresource: string): void {
  const refuse = (why: string) => { throw forbidden({ group: 'core.kcp.io', resource: 'logicalclusters' }, LOGICAL_CLUSTER_NAME, `initializer "${initializer}" ${why}`); };
  if (subresource !== 'status') refuse('may only change the status of the LogicalCluster (its status.initializers)');
  const { initializers: before, ...restBefore } = (live.status ?? {}) as Record<string, unknown>;
  const { initializers: after, ...restAfter } = (next.status ?? {}) as Record<string, unknown>;
  const was = initializersOf({ metadata: {}, status: { initializers: before } });
  const now = initializersOf({ metadata: {}, status: { initializers: after } });
  const expected = was.filter((i) => i !== initializer);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!(same(now, was) || same(now, expected)) || JSON.stringify(restBefore) !== JSON.stringify(restAfter)) {
    refuse('may only remove itself from status.initializers');
  }
}

export function initializingVirtualWorkspace(deps: InitializingVWDeps): VirtualWorkspace {
  const authorize = deps.authorize ?? rbacInitializeAuthorizer();
  const resolve = (x: string) => deps.clusters?.resolve(x) ?? x;
  const lcDefs = {
    defsFor: (cluster: string) => {
      const def = deps.catalog.resolve(cluster === '*' ? 'root' : cluster, 'core.kcp.io', 'v1alpha1', 'logicalclusters');
      return def ? [def] : [];
    },
    generation: () => deps.catalog.generation(),
  };
  const perInitializer = new LruCache<string, { logicalClusters: ApiContext; content: ApiContext }>(1_000);

  const contextsFor = (initializer: string) => {
    let c = perInitializer.get(initializer);
    if (c) return c;
    const view = filteredStore(deps.generic, {
      filter: (def) => (o) => !isLogicalClusters(def) || initializing(o, initializer),
      checkWrite: () => undefined,
    });
    const readOnly = async (): Promise<never> => { throw methodNotAllowed(`initializer "${initializer}" may only read LogicalClusters and remove itself from their status.initializers`); };
    view.create = readOnly;
    view.delete = readOnly;
    view.deleteCollection = readOnly;
    view.update = async (scope, def, name, body, sub) => {
      checkRemovesOnlyItself(initializer, await view.get(scope, def, name), body, sub);
      return deps.generic.update(scope, def, name, body, sub);
    };
    view.patch = async (scope, def, name, sub, producer, opts) => {
      const checked: PatchProducer = async (live) => {
        const out = await producer(live);
        if (!live || !initializing(live, initializer)) throw notFound(def, name);
        checkRemovesOnlyItself(initializer, live, out.object, sub);
        return out;
      };
      return deps.generic.patch(scope, def, name, sub, checked, { ...opts, allowCreate: false });
    };
    c = {
      logicalClusters: viewContext({ defs: lcDefs, generic: view, log: deps.log, checkCluster: () => undefined }),
      // set-up inside the workspace; who may do it was decided when the request came in
      content: viewContext({ defs: deps.catalog, generic: deps.generic, log: deps.log, checkCluster: () => undefined }),
    };
    perInitializer.set(initializer, c);
    return c;
  };

  return {
    prefix: INITIALIZING_PREFIX,
    async serve(req: IncomingMessage, res: ServerResponse, rest: string, query: URLSearchParams, user: UserInfo): Promise<void> {
      const parsed = parseViewPath(rest, 1, SHAPE);
      const initializer = parsed.params[0]!;
      const sep = initializer.lastIndexOf(':');
      if (sep <= 0 || sep === initializer.length - 1) {
        throw badRequest(`"${initializer}" is not an initializer: initializers are named <workspace type's logical cluster>:<type name>, e.g. root:example (WorkspaceType status.virtualWorkspaces has the URL)`);
      }
      const typeCluster = resolve(initializer.slice(0, sep));
      await authorize(user, { cluster: typeCluster, typeName: initializer.slice(sep + 1), initializer });
      const contexts = contextsFor(initializer);
      const cluster = parsed.cluster === '*' ? '*' : resolve(parsed.cluster);
      const info = parseRequestInfo(cluster, parsed.path, req.method ?? 'GET', query);
      const forLogicalClusters = !info.isResource || (info.group === 'core.kcp.io' && info.resource === 'logicalclusters');
      if (cluster === '*') {
        if (info.isResource && info.verb !== 'list' && info.verb !== 'watch') {
          throw badRequest(`${info.verb} is not supported across all workspaces (clusters/*): name the LogicalCluster's workspace, ${INITIALIZING_PREFIX}${initializer}/clusters/<its kcp.io/cluster>/…`);
        }
        if (!forLogicalClusters) throw notFound({ group: info.group, resource: info.resource }, info.name ?? '');
        await serveClusterPath(contexts.logicalClusters, req, res, cluster, parsed.path, query, user);
        return;
      }
      const lc = await deps.generic.store.get({ cluster, resource: LOGICAL_CLUSTER_RESOURCE, namespace: '', name: LOGICAL_CLUSTER_NAME });
      if (!initializing(lc, initializer)) {
        throw forbidden({ group: 'core.kcp.io', resource: 'logicalclusters' }, LOGICAL_CLUSTER_NAME, `initializer "${initializer}" cannot access this workspace: it is not initializing with this initializer`);
      }
      const logicalClusterRequest = info.isResource && info.group === 'core.kcp.io' && info.resource === 'logicalclusters';
      await serveClusterPath(logicalClusterRequest ? contexts.logicalClusters : contexts.content, req, res, cluster, parsed.path, query, user);
    },
  };
}
