/**
 * The syncer virtual workspace, one physical cluster's view of every workspace:
 *   /services/syncer/<registration-workspace>/<registration-name>/<registration-uid>/clusters/<*|workspace>/…
 * The ClusterRegistration must exist with that uid (a recreated registration is a new cluster
 * and must not inherit the old one's URL). Wildcard list/watch span all workspaces; get and
 * writes name the object's workspace. What the view shows and accepts is syncer-store.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../../apiserver/context.js';
import { parseRequestInfo } from '../../apiserver/request-info.js';
import { serveClusterPath } from '../../apiserver/router.js';
import type { VirtualWorkspace } from '../../apiserver/server.js';
import { badRequest, forbidden, notFound } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore } from '../../registry/generic-store.js';
import type { UserInfo } from '../../registry/hooks.js';
import type { ResourceDef } from '../../registry/types.js';
import type { Store } from '../../storage/types.js';
import type { APIBindings } from '../../tenancy/apis/api-bindings.js';
import { COMPUTE_EXPORT, COMPUTE_WORKSPACE } from '../../tenancy/compute-schemas.js';
import { clusterKey } from '../../apis/contract.js';
import { defaultSyncAuthorizer, type SyncAuthorizer } from '../authorizers.js';
import { viewContext } from '../view-context.js';
import { parseViewPath } from '../view-path.js';
import { syncerStore } from './syncer-store.js';
import { LruCache } from '../../machinery/lru-cache.js';

export const SYNCER_PREFIX = '/services/syncer/';
const SHAPE = '/services/syncer/<registration-workspace>/<registration-name>/<uid>/clusters/<*|workspace>/…';
const REGISTRATIONS = { group: 'tmc.kcp.io', resource: 'clusterregistrations' };
/** Built into every workspace and synced alongside workloads (a Deployment's ConfigMaps and Secrets travel with it). */
const CORE_RESOURCES = ['namespaces', 'configmaps', 'secrets'];

export interface SyncerVWDeps {
  store: Store;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  bindings?: APIBindings;
  authorize?: SyncAuthorizer;
  /** Resolves a logical cluster name in the URL to its workspace path. */
  clusters?: { resolve(nameOrPath: string): string };
}

/** The syncer view's resources: the compute export's workload types plus the core ones. */
class SyncerDefs {
  private signature = '';
  private gen = 0;
  private defs: ResourceDef[] = [];

  constructor(private readonly catalog: ResourceCatalog, private readonly bindings: () => APIBindings | undefined) {}

  generation(): number {
    const exp = this.bindings()?.getExport(COMPUTE_WORKSPACE, COMPUTE_EXPORT);
    const sig = `${this.catalog.generation()}|${exp?.metadata.resourceVersion ?? '-'}`;
    if (sig !== this.signature) {
      this.signature = sig;
      const core = CORE_RESOURCES.map((r) => this.catalog.resolve('root', '', 'v1', r)).filter((d): d is ResourceDef => d !== undefined);
      this.defs = [...core, ...(this.bindings()?.exportDefs(COMPUTE_WORKSPACE, COMPUTE_EXPORT) ?? [])];
      this.gen++;
    }
    return this.gen;
  }

  defsFor(): ResourceDef[] {
    this.generation();
    return this.defs;
  }
}

export function syncerVirtualWorkspace(deps: SyncerVWDeps): VirtualWorkspace {
  const authorize = deps.authorize ?? defaultSyncAuthorizer;
  // one catalog/discovery/OpenAPI for every syncer (their resources are the same); the store differs per cluster key
  const shared = viewContext({ defs: new SyncerDefs(deps.catalog, () => deps.bindings), generic: deps.generic, log: deps.log, checkCluster: () => undefined });
  const perKey = new LruCache<string, ApiContext>(10_000);
  const ctxFor = (key: string): ApiContext => {
    let ctx = perKey.get(key);
    if (!ctx) {
      ctx = { ...shared, generic: syncerStore(deps.generic, key) };
      perKey.set(key, ctx);
    }
    return ctx;
  };

  return {
    prefix: SYNCER_PREFIX,
    async serve(req: IncomingMessage, res: ServerResponse, rest: string, query: URLSearchParams, user: UserInfo): Promise<void> {
      const parsed = parseViewPath(rest, 3, SHAPE);
      const [name, uid, path] = [parsed.params[1], parsed.params[2], parsed.path];
      // the cluster key is of the registration's path: the same whichever form the URL uses
      const resolve = (x: string) => deps.clusters?.resolve(x) ?? x;
      const workspace = resolve(parsed.params[0]);
      const cluster = resolve(parsed.cluster);
      await authorize(user, { workspace, name, verb: 'sync' });
      const reg = await deps.store.get({ cluster: workspace, resource: `${REGISTRATIONS.group}/${REGISTRATIONS.resource}`, namespace: '', name });
      if (!reg) throw notFound(REGISTRATIONS, name);
      if (reg.metadata.uid !== uid) {
        throw forbidden(REGISTRATIONS, name, `the syncer URL names uid "${uid}", which is not this ClusterRegistration's uid `
          + '(it was deleted and recreated?); take the URL from the registration\'s status.virtualWorkspaces');
      }
      const info = parseRequestInfo(cluster, path, req.method ?? 'GET', query);
      if (cluster === '*' && info.isResource && info.verb !== 'list' && info.verb !== 'watch') {
        throw badRequest(`${info.verb} is not supported across all workspaces (clusters/*): name the object's workspace instead, `
          + `${SYNCER_PREFIX}${workspace}/${name}/${uid}/clusters/<workspace>/… (its kcp.io/cluster annotation)`);
      }
      await serveClusterPath(ctxFor(clusterKey(workspace, name)), req, res, cluster, path, query, user);
    },
  };
}
