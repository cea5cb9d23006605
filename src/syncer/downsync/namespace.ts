/**
 * The downstream namespace of (workspace, namespace, cluster key): `tmc-<hash>`, annotated with
 * the namespace locator and labelled with the cluster key. An existing namespace of that name with
 * another locator is a NamespaceCollision (never adopted: it holds someone else's objects).
 */
import { CLUSTER_KEY_LABEL, NAMESPACE_LOCATOR_ANNOTATION, downstreamNamespaceName, type NamespaceLocator } from '../../apis/contract.js';
import { isAlreadyExists, isNotFound } from '../../errors/status.js';
import type { KubeObject } from '../../client/types.js';
import { SyncFailure } from '../conditions.js';
import type { SyncContext } from '../context.js';
import { NAMESPACES } from '../downstream/downstream-cache.js';

export function parseLocator(ns: KubeObject | undefined): NamespaceLocator | undefined {
  const raw = ns?.metadata?.annotations?.[NAMESPACE_LOCATOR_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<NamespaceLocator>;
    return typeof v.workspace === 'string' && typeof v.namespace === 'string' && typeof v.cluster === 'string'
      ? { workspace: v.workspace, namespace: v.namespace, cluster: v.cluster } : undefined;
  } catch {
    return undefined;
  }
}

const sameLocator = (a: NamespaceLocator | undefined, b: NamespaceLocator): boolean =>
  !!a && a.workspace === b.workspace && a.namespace === b.namespace && a.cluster === b.cluster;

/** Returns the downstream namespace name once it exists and is ours. */
export async function ensureNamespace(ctx: SyncContext, locator: NamespaceLocator): Promise<string> {
  return (await ensureNamespaceCreated(ctx, locator)).name;
}

/**
 * ensureNamespace, also saying whether this call created the namespace: then it is empty — no
 * object in it can be someone else's yet, and downsync/apply.ts skips its conflict-check GET.
 */
export async function ensureNamespaceCreated(ctx: SyncContext, locator: NamespaceLocator): Promise<{ name: string; created: boolean }> {
  const name = downstreamNamespaceName(locator);
  const cached = ctx.cache.namespace(name);
  if (cached) {
    check(cached, name, locator);
    return { name, created: false };
  }
  const creating = ctx.namespacesCreating?.get(name);
  if (creating) {
    // Another worker is creating it (a burst into a new namespace): its outcome is ours, except
    // that only the creator counts the namespace as new (apply.ts's conflict check stays ours).
    await creating;
    return { name, created: false };
  }
  const attempt = createNamespace(ctx, name, locator);
  if (!ctx.namespacesCreating) return attempt;
  ctx.namespacesCreating.set(name, attempt);
  try {
    return await attempt;
  } finally {
    ctx.namespacesCreating.delete(name);
  }
}

async function createNamespace(ctx: SyncContext, name: string, locator: NamespaceLocator): Promise<{ name: string; created: boolean }> {
  const body: KubeObject = {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { [CLUSTER_KEY_LABEL]: ctx.clusterKey }, annotations: { [NAMESPACE_LOCATOR_ANNOTATION]: JSON.stringify(locator) } },
  };
  try {
    await ctx.downstreamClient.create(NAMESPACES, undefined, body);
    return { name, created: true };
  } catch (err) {
    if (!isAlreadyExists(err)) throw new SyncFailure('ApplyFailed', `creating namespace ${name}: ${(err as Error).message}`, { cause: err });
  }
  // It exists but is not in our (label-filtered) cache: not labelled, or the cache lags.
  let live: KubeObject;
  try {
    live = await ctx.downstreamClient.get(NAMESPACES, undefined, name);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`namespace ${name} vanished while being created; retrying`);
    throw err;
  }
  check(live, name, locator);
  if (live.metadata?.labels?.[CLUSTER_KEY_LABEL] !== ctx.clusterKey) {
    // Same locator, label lost: it is ours, so relabel it (otherwise our cache never sees it).
    await ctx.downstreamClient.patch(NAMESPACES, undefined, name, { metadata: { labels: { [CLUSTER_KEY_LABEL]: ctx.clusterKey } } }, { type: 'merge' });
  }
  return { name, created: false };
}

function check(ns: KubeObject, name: string, locator: NamespaceLocator): void {
  if (!sameLocator(parseLocator(ns), locator)) {
    throw new SyncFailure('NamespaceCollision',
      `downstream namespace ${name} exists with locator ${ns.metadata?.annotations?.[NAMESPACE_LOCATOR_ANNOTATION] ?? '(none)'}, expected ${JSON.stringify(locator)}`);
  }
  if (ns.metadata?.deletionTimestamp) throw new Error(`downstream namespace ${name} is terminating; retrying`);
}
