/**
 * The APIExport virtual workspace:
 *   /services/apiexport/<export-workspace>/<export-name>/clusters/<*|workspace>/…
 * A provider's view of its export: discovery and OpenAPI of the exported + accepted-claimed
 * resources, wildcard list/watch across every bound workspace, and reads/writes in one bound
 * workspace when the URL names it. Served by the apiserver's own handlers over a derived context.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../../apiserver/context.js';
import { parseRequestInfo } from '../../apiserver/request-info.js';
import { serveClusterPath } from '../../apiserver/router.js';
import type { VirtualWorkspace } from '../../apiserver/server.js';
import { StatusError, badRequest, forbidden, notFound } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore } from '../../registry/generic-store.js';
import type { UserInfo } from '../../registry/hooks.js';
import type { APIBindings } from '../../tenancy/apis/api-bindings.js';
import { defaultExportAuthorizer, type ExportAuthorizer } from '../authorizers.js';
import { viewContext } from '../view-context.js';
import { parseViewPath } from '../view-path.js';
import { filteredStore } from '../view-store.js';
import { ExportView } from './export-view.js';
import { ViewWatches } from './view-watches.js';

interface View { view: ExportView; ctx: ApiContext; watches: ViewWatches; unsubscribe: () => void }

export const APIEXPORT_PREFIX = '/services/apiexport/';
const SHAPE = '/services/apiexport/<export-workspace>/<export-name>/clusters/<*|workspace>/…';

export interface APIExportVWDeps {
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  bindings?: APIBindings;
  authorize?: ExportAuthorizer;
  /** Resolves a logical cluster name in the URL to its workspace path; both forms are served, as in kcp. */
  clusters?: { resolve(nameOrPath: string): string };
}

/** Verbs that a wildcard URL can serve: anything else needs to know which workspace to write to. */
const WILDCARD_VERBS = new Set(['list', 'watch']);

const notBoundMessage = (cluster: string, exportCluster: string, exportName: string) =>
  `workspace "${cluster}" is not bound to APIExport ${exportCluster}:${exportName}; it has nothing to show here (bind it with an APIBinding)`;

/**
 * Discovery (/api, /apis…) of a workspace the view does not show. client-go's discovery client
 * reads an error response with Result.Raw(), which never decodes a Status: it keeps the server's
 * words only for a 403 whose body is text (any other code becomes a fixed sentence, e.g. "the
 * server could not find the requested resource" for 404). So the reason goes out as a text 403,
 * and `kubectl --server <vw>/clusters/<ws> api-resources` (or get) prints it. kcp's virtual
 * workspaces refuse such a workspace with 403 too.
 */
function writeDiscoveryRefusal(res: ServerResponse, message: string): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message), 'X-Content-Type-Options': 'nosniff' });
  res.end(message);
}

export function apiExportVirtualWorkspace(deps: APIExportVWDeps): VirtualWorkspace {
  const authorize = deps.authorize ?? defaultExportAuthorizer;
  const views = new Map<string, View>();

  function viewOf(bindings: APIBindings, exportCluster: string, exportName: string): View {
    const key = `${exportCluster}|${exportName}`;
    let v = views.get(key);
    if (!v) {
      const view = new ExportView(bindings, deps.catalog, exportCluster, exportName);
      const watches = new ViewWatches(view, deps.generic, deps.generic.store, deps.log);
      const generic = filteredStore(deps.generic, {
        filter: (def) => view.filter(def),
        checkWrite: (def, scope) => {
          if (!view.clustersFor(def).has(scope.cluster)) {
            throw new StatusError(403, 'Forbidden', `${def.resource}${def.group ? '.' + def.group : ''} of workspace "${scope.cluster}" is not part of APIExport ${exportCluster}:${exportName}'s view (not bound, or the claim is not accepted)`);
          }
        },
      });
      const filteredWatch = generic.watch.bind(generic);
      generic.watch = (scope, def, q, rv, handlers) => watches.watch(scope, def, q, rv, handlers, (h) => filteredWatch(scope, def, q, rv, h));
      const ctx = viewContext({
        defs: view,
        generic,
        log: deps.log,
        checkCluster: (cluster) => {
          if (cluster === '*' || view.isBound(cluster)) return;
          throw new StatusError(403, 'Forbidden', notBoundMessage(cluster, exportCluster, exportName));
        },
      });
      v = { view, ctx, watches, unsubscribe: bindings.onChange(() => watches.changed()) };
      views.set(key, v);
    }
    return v;
  }

  function dropView(key: string): void {
    views.get(key)?.unsubscribe();
    views.delete(key);
  }

  return {
    prefix: APIEXPORT_PREFIX,
    async serve(req: IncomingMessage, res: ServerResponse, rest: string, query: URLSearchParams, user: UserInfo): Promise<void> {
      const parsed = parseViewPath(rest, 2, SHAPE);
      const [exportName, path] = [parsed.params[1], parsed.path];
      const resolve = (x: string) => deps.clusters?.resolve(x) ?? x;
      const exportCluster = resolve(parsed.params[0]);
      const cluster = resolve(parsed.cluster);
      const info = parseRequestInfo(cluster, path, req.method ?? 'GET', query);
      await authorize(user, { exportCluster, exportName, verb: info.isResource ? info.verb : 'get' });
      const bindings = deps.bindings;
      if (!bindings || !bindings.getExport(exportCluster, exportName)) {
        dropView(`${exportCluster}|${exportName}`);
        throw notFound({ group: 'apis.kcp.io', resource: 'apiexports' }, exportName);
      }
      if (cluster === '*' && info.isResource && !WILDCARD_VERBS.has(info.verb)) {
        throw badRequest(`${info.verb} is not supported across all workspaces (clusters/*): name the object's workspace instead, `
          + `${APIEXPORT_PREFIX}${exportCluster}/${exportName}/clusters/<workspace>/… (its kcp.io/cluster annotation)`);
      }
      const { view, ctx } = viewOf(bindings, exportCluster, exportName);
      if (cluster !== '*' && !info.isResource && info.apiPrefix !== '' && !view.isBound(cluster)) {
        writeDiscoveryRefusal(res, notBoundMessage(cluster, exportCluster, exportName));
        return;
      }
      if (cluster !== '*' && info.isResource) {
        // kcp's bound-API authorizer (virtual/apiexport/authorizer/binding.go) denies a workspace
        // with no binding to the export, and a bound one that did not accept the claim
        const deny = (why: string) => forbidden({ group: info.group, resource: info.resource }, info.name,
          `User "${user.name}" cannot ${info.verb} resource "${info.resource}" in API group "${info.group}" in workspace "${cluster}": ${why}`);
        if (!view.isBound(cluster)) {
          throw deny(`could not find suitable APIBinding in target logical cluster (${notBoundMessage(cluster, exportCluster, exportName)})`);
        }
        const refusal = view.claimRefusal(cluster, info.group, info.resource);
        if (refusal) throw deny(`failed to find suitable reason to allow access in APIBinding: ${refusal}`);
      }
      await serveClusterPath(ctx, req, res, cluster, path, query, user);
    },
  };
}
