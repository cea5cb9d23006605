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

export function createAdmission(deps: AdmissionDeps): Admission {
  const hit = perStore.get(deps.store);
  if (hit) return hit;
  const defaultCluster = deps.opts?.mode === 'cluster' ? 'cluster' : 'root';
  const informers = deps.informers ?? new StoreInformers(deps.store, { defaultCluster, logger: deps.log });
  const cache = (resource: string) => new WatchCache(informers, resource);
  const policies = cache(POLICIES_RESOURCE);
  const bindings = cache(BINDINGS_RESOURCE);
  const placements = cache(PLACEMENTS_RESOURCE);
  const chain = new AdmissionChain([
    new TraceContextPlugin(),
    new PlacementPlugin({ ready: () => placements.ready(), placements: (c, ns) => placements.list(c, ns) as never }),
    new ValidatingPolicyPlugin({
      policies, bindings, store: deps.store, log: deps.log,
      resolveKind: (cluster, group, kind) => deps.catalog.byKind(cluster, group, kind),
    }),
  ], deps.log);
  // start filling the caches now, so the first write does not pay for the lists
  for (const c of [policies, bindings, placements]) c.ready().catch((err) => deps.log?.warn({ err, resource: c.resource }, 'admission cache failed to sync'));
  const a: Admission = { chain, defaultCluster, stop: () => {
    policies.stop(); bindings.stop(); placements.stop();
    if (!deps.informers) informers.stop();
  } };
  perStore.set(deps.store, a);
  return a;
}
