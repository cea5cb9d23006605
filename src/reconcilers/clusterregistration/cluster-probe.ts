/**
 * One health check of a push-mode cluster: `/version` first (reachability and credentials, the
 * cheapest authenticated call), then Nodes, the workloads TMC placed there, and discovery (cached
 * per connection, since a cluster's API surface rarely changes). Every failure is classified into
 * what the conditions need to say, never thrown: unreachable (no HTTP answer), unauthorized
 * (401/403), or failed (answered, but with another error).
 */
import { NAMESPACES, NODES } from '../../apis/gvr.js';
import type { APIResource, ResourceList } from '../../apis/tmc/index.js';
import { CLUSTER_KEY_LABEL } from '../../apis/contract.js';
import type { DiscoveryResult } from '../../client/discovery.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import { isStatusError } from '../../errors/status.js';
import { REPLICATED_WORKLOADS, Reason } from './constants.js';
import { sumAllocated, sumNodes } from './resource-sums.js';

/** What a healthy probe learned about the cluster. */
export interface ClusterFacts {
  kubernetesVersion: string;
  nodeCount: number;
  capacity: ResourceList;
  allocatable: ResourceList;
  allocated: ResourceList;
  /** Preferred versions only, sorted: the status stays small and stable. */
  apiResources: APIResource[];
}

export type ProbeResult =
  | { kind: 'healthy'; facts: ClusterFacts }
  /** The API server answered 401/403: reachable, but the credentials do not work. */
  | { kind: 'unauthorized'; reason: typeof Reason.Unauthorized | typeof Reason.Forbidden; message: string }
  /** No HTTP answer (refused, reset, timed out). */
  | { kind: 'unreachable'; message: string }
  /** The API server answered with another error (5xx, 404 on /version …). */
  | { kind: 'failed'; message: string }
  /** TMC cannot even try: no endpoint, Secret missing, unusable credentials. */
  | { kind: 'misconfigured'; reason: string; message: string };


export interface ProbeOptions {
  /** The cluster key: TMC's downstream namespaces and objects carry `tmc.kcp.io/cluster-key=<key>`. */
  clusterKey: string;
  now(): number;
  /** How long discovery results are reused. @default 60000 */
  discoveryTtlMs?: number;
}

const discoveryCache = new WeakMap<KubeClient, { at: number; result: DiscoveryResult }>();

export async function probeCluster(downstreamClient: KubeClient, opts: ProbeOptions): Promise<ProbeResult> {
  try {
    const version = await downstreamClient.version();
    const selector = `${CLUSTER_KEY_LABEL}=${opts.clusterKey}`;
    const [nodes, namespaces, discovery, ...workloadLists] = await Promise.all([
      downstreamClient.listAll(NODES),
      downstreamClient.listAll(NAMESPACES, { labelSelector: selector }),
      cachedDiscovery(downstreamClient, opts),
      ...REPLICATED_WORKLOADS.map((gvr) => downstreamClient.listAll(gvr).catch(ignoreNotFound)),
    ]);
    const placedNamespaces = new Set(namespaces.items.map((n) => n.metadata.name));
    const placed = workloadLists.flatMap((l) => l.items).filter((w) => isPlacedBy(w, opts.clusterKey, placedNamespaces));
    const sums = sumNodes(nodes.items);
    return {
      kind: 'healthy',
      facts: {
        kubernetesVersion: version.gitVersion ?? `v${version.major ?? '0'}.${version.minor ?? '0'}`,
        nodeCount: sums.nodeCount,
        capacity: sums.capacity,
        allocatable: sums.allocatable,
        allocated: sumAllocated(placed),
        apiResources: apiResourcesOf(discovery),
      },
    };
  } catch (err) {
    return classifyProbeError(err);
  }
}

/** Objects in a namespace labelled with the cluster key, or labelled themselves. */
function isPlacedBy(obj: KubeObject, key: string, placedNamespaces: Set<string | undefined>): boolean {
  return obj.metadata.labels?.[CLUSTER_KEY_LABEL] === key || placedNamespaces.has(obj.metadata.namespace);
}

/** A cluster that does not serve a workload type simply has none of it placed. */
function ignoreNotFound(err: unknown): { items: KubeObject[] } {
  if (isStatusError(err) && err.code === 404) return { items: [] };
  throw err;
}

async function cachedDiscovery(downstreamClient: KubeClient, opts: ProbeOptions): Promise<DiscoveryResult> {
  const hit = discoveryCache.get(downstreamClient);
  const ttl = opts.discoveryTtlMs ?? 60_000;
  if (hit && opts.now() - hit.at < ttl) return hit.result;
  const result = await downstreamClient.discover();
  discoveryCache.set(downstreamClient, { at: opts.now(), result });
  return result;
}

export function apiResourcesOf(discovery: DiscoveryResult): APIResource[] {
  return discovery.resources
    .filter((r) => r.preferred)
    .map((r) => ({ group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced }))
    .sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.resource.localeCompare(b.resource));
}

export function classifyProbeError(err: unknown): ProbeResult {
  if (isStatusError(err)) {
    if (err.code === 401) return { kind: 'unauthorized', reason: Reason.Unauthorized, message: `the cluster rejected the credentials (401): ${err.message}` };
    if (err.code === 403) return { kind: 'unauthorized', reason: Reason.Forbidden, message: `the credentials lack permission (403): ${err.message}` };
    return { kind: 'failed', message: `the cluster answered ${err.code} ${err.reason}: ${err.message}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unreachable', message: `cannot reach the cluster: ${message}` };
}
