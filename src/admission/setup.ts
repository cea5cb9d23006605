/**
 * Builds the product's admission for one server: the watch-fed caches, the plugins in order
 * (placement → ValidatingAdmissionPolicy) and the chain. One instance per store, so the
 * StartHooks `admission` hook and the webhook routes (`auxRoutes`) share caches and chain.
 */
import type { Logger } from '../observability/logger.js';
import type { ResourceDef } from '../registry/types.js';
import { StoreInformers } from '../storage/informers.js';
import type { Store } from '../storage/types.js';
import { AdmissionChain } from './chain.js';
import { PlacementPlugin, PLACEMENTS_RESOURCE } from './placement/index.js';
import { BINDINGS_RESOURCE, POLICIES_RESOURCE, ValidatingPolicyPlugin } from './validating-policy/index.js';
import { WatchCache } from './watch-cache.js';
import { TraceContextPlugin } from './trace-context/index.js';

/** What admission needs from the server (a subset of ServerDeps). */
export interface AdmissionDeps {
  store: Store;
  /** The server's shared informers; admission makes its own over `store` without them. */
  informers?: StoreInformers;
  catalog: { byKind(cluster: string, group: string, kind: string): ResourceDef | undefined };
  log?: Logger;
  opts?: { mode?: string };
}

export interface Admission {
  chain: AdmissionChain;
  /** The workspace of objects without a `kcp.io/cluster` annotation. */
  defaultCluster: string;
  stop(): void;
}

const perStore = new WeakMap<Store, Admission>();

const API_BINDINGS_RESOURCE = 'apis.kcp.io/apibindings';

/** As kcp finds it: the APIExport workspace of the binding in `cluster` whose status.boundResources has group/resource, else `cluster`. */
function exportClusterOf(apiBindings: WatchCache, cluster: string, group: string, resource: string): string {
  for (const b of apiBindings.list(cluster)) {
    const status = b.status as { apiExportClusterName?: string; boundResources?: Array<{ group?: string; resource?: string }> } | undefined;
    if (status?.apiExportClusterName && status.boundResources?.some((r) => (r.group ?? '') === group && r.resource === resource)) return status.apiExportClusterName;
  }
  return cluster;
}

export function createAdmission(deps: AdmissionDeps): Admission {
  const hit = perStore.get(deps.store);
  if (hit) return hit;
  const defaultCluster = deps.opts?.mode === 'cluster' ? 'cluster' : 'root';
  const informers = deps.informers ?? new StoreInformers(deps.store, { defaultCluster, logger: deps.log });
  const cache = (resource: string) => new WatchCache(informers, resource);
  const policies = cache(POLICIES_RESOURCE);
  const bindings = cache(BINDINGS_RESOURCE);
  const placements = cache(PLACEMENTS_RESOURCE);
  // kcp's policy workspace of a bound resource is its export's (only server mode binds APIs)
  const apiBindings = deps.opts?.mode === 'cluster' ? undefined : cache(API_BINDINGS_RESOURCE);
  const chain = new AdmissionChain([
    new TraceContextPlugin(),
    new PlacementPlugin({ ready: () => placements.ready(), placements: (c, ns) => placements.list(c, ns) as never }),
    new ValidatingPolicyPlugin({
      policies, bindings, store: deps.store, log: deps.log,
      resolveKind: (cluster, group, kind) => deps.catalog.byKind(cluster, group, kind),
      ...(apiBindings ? { policyCluster: (cluster, group, resource) => exportClusterOf(apiBindings, cluster, group, resource), policyClusterReady: () => apiBindings.ready() } : {}),
    }),
  ], deps.log);
  // start filling the caches now, so the first write does not pay for the lists
  for (const c of [policies, bindings, placements, ...(apiBindings ? [apiBindings] : [])]) c.ready().catch((err) => deps.log?.warn({ err, resource: c.resource }, 'admission cache failed to sync'));
  const a: Admission = { chain, defaultCluster, stop: () => {
    policies.stop(); bindings.stop(); placements.stop(); apiBindings?.stop();
    if (!deps.informers) informers.stop();
  } };
  perStore.set(deps.store, a);
  return a;
}
