/**
 * A derived ApiContext for one virtual-workspace view: its own catalog (only the view's
 * resources), discovery and OpenAPI built from that catalog, and a filtered generic store. The
 * apiserver's serveClusterPath then serves the view with the very same handlers as a workspace.
 */
import type { ApiContext } from '../apiserver/context.js';
import { Discovery } from '../apiserver/discovery.js';
import { OpenAPIService } from '../apiserver/openapi-service.js';
import { createPatcher } from '../apiserver/patcher.js';
import type { Logger } from '../observability/logger.js';
import { ResourceCatalog, type DefSource } from '../registry/catalog.js';
import type { GenericStore } from '../registry/generic-store.js';

export interface ViewContextOptions {
  /**
   * The resources the view serves, per logical cluster of the URL ('*' for the wildcard); or a
   * catalog served as it is (a view of workspaces' own content), whose clusters serving only the
   * built-ins then share one index and one set of discovery and OpenAPI documents.
   */
  defs: DefSource | ResourceCatalog;
  generic: GenericStore;
  log: Logger;
  /** Throws NotFound/Forbidden when the URL's cluster is not part of the view. */
  checkCluster(cluster: string): Promise<void> | void;
}

export function viewContext(o: ViewContextOptions): ApiContext {
  // no built-ins: a view serves nothing but what its source says
  const catalog = o.defs instanceof ResourceCatalog ? o.defs : new ResourceCatalog([], [o.defs]);
  return {
    catalog,
    discovery: new Discovery(catalog),
    openapi: new OpenAPIService(catalog),
    generic: o.generic,
    patcher: createPatcher(),
    log: o.log,
    // authorisation happens once per request in the virtual workspace, before dispatch
    authorize: undefined,
    checkCluster: async (cluster) => { await o.checkCluster(cluster); },
  };
}
