/**
 * The virtual workspaces, for the server's `virtualWorkspaces` hook, and the discovery helpers.
 */
import type { VirtualWorkspace } from '../apiserver/server.js';
import type { Logger } from '../observability/logger.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { Store } from '../storage/types.js';
import type { APIBindings } from '../tenancy/apis/api-bindings.js';
import { apiExportVirtualWorkspace } from './apiexport/apiexport-vw.js';
import type { ExportAuthorizer, SyncAuthorizer } from './authorizers.js';
import { syncerVirtualWorkspace } from './syncer/syncer-vw.js';
import { initializingVirtualWorkspace, type InitializeAuthorizer } from './initializingworkspaces/initializing-vw.js';

export { apiExportVirtualWorkspace, APIEXPORT_PREFIX } from './apiexport/apiexport-vw.js';
export { syncerVirtualWorkspace, SYNCER_PREFIX } from './syncer/syncer-vw.js';
export { initializingVirtualWorkspace, rbacInitializeAuthorizer, INITIALIZING_PREFIX, type InitializeAuthorizer } from './initializingworkspaces/initializing-vw.js';
export { clusterStatusView } from './syncer/syncer-store.js';
export * from './authorizers.js';
export { listWorkspaceTree, bindingsBy, type WorkspaceEntry, type ExportBindings } from './discovery.js';

/** The subset of the server's ServerDeps the virtual workspaces need (structurally compatible). */
export interface VirtualWorkspaceDeps {
  store: Store;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  bindings?: APIBindings;
  /** Resolves a logical cluster name in a URL to its workspace path (server mode). */
  clusters?: { resolve(nameOrPath: string): string };
}

/** The virtual workspaces, as `StartHooks.virtualWorkspaces` wants them. */
export function tmcVirtualWorkspaces(deps: VirtualWorkspaceDeps, authz: { exports?: ExportAuthorizer; syncers?: SyncAuthorizer; initializers?: InitializeAuthorizer } = {}): VirtualWorkspace[] {
  return [
    initializingVirtualWorkspace({ generic: deps.generic, catalog: deps.catalog, log: deps.log, authorize: authz.initializers, clusters: deps.clusters }),
    apiExportVirtualWorkspace({ generic: deps.generic, catalog: deps.catalog, log: deps.log, bindings: deps.bindings, authorize: authz.exports, clusters: deps.clusters }),
    syncerVirtualWorkspace({ store: deps.store, generic: deps.generic, catalog: deps.catalog, log: deps.log, bindings: deps.bindings, authorize: authz.syncers, clusters: deps.clusters }),
  ];
}
