/**
 * The workload contract between placement, admission and the syncer (DESIGN.md §5): the labels and
 * annotations TMC puts on upstream objects, and how the cluster key and downstream namespace names
 * are derived. Changing anything here changes the wire contract with running syncers.
 *
 * May import: node built-ins only (apis/ is a leaf).
 */
import { createHash } from 'node:crypto';

export const TMC_GROUP = 'tmc.kcp.io';

/** label `state.tmc.kcp.io/<key>`: Sync | Pending */
export const STATE_LABEL_PREFIX = 'state.tmc.kcp.io/';
/** annotation `tmc.kcp.io/placement`: <namespace>/<name> of the owning WorkloadPlacement */
export const PLACEMENT_ANNOTATION = 'tmc.kcp.io/placement';
/** On a PlacementDecision: the WorkloadPlacement it belongs to (select a placement's history by it). */
export const PLACEMENT_NAME_LABEL = 'tmc.kcp.io/placement-name';
/** annotation `deletion.tmc.kcp.io/<key>`: RFC3339 time; remove from that cluster */
export const DELETION_ANNOTATION_PREFIX = 'deletion.tmc.kcp.io/';
/** finalizer `tmc.kcp.io/syncer-<key>` */
export const SYNCER_FINALIZER_PREFIX = 'tmc.kcp.io/syncer-';
/** annotation `spec-diff.tmc.kcp.io/<key>`: RFC 6902 patch rooted at the object */
export const SPEC_DIFF_ANNOTATION_PREFIX = 'spec-diff.tmc.kcp.io/';
/** annotation `status.tmc.kcp.io/<key>`: that cluster's status JSON */
export const STATUS_ANNOTATION_PREFIX = 'status.tmc.kcp.io/';
/**
 * annotation `failover.tmc.kcp.io/<key>`: the copy on that cluster is an old one a failover keeps
 * running (purgeMode Graceful until the replacement is available, or Never); the value says why.
 * The aggregate status does not count old copies while others run (it names them in a condition).
 */
export const FAILOVER_ANNOTATION_PREFIX = 'failover.tmc.kcp.io/';
/** downstream namespace annotation: {"workspace","namespace","cluster"} */
export const NAMESPACE_LOCATOR_ANNOTATION = 'tmc.kcp.io/namespace-locator';
/** downstream label naming the cluster key that owns the object */
export const CLUSTER_KEY_LABEL = 'tmc.kcp.io/cluster-key';
/** the logical cluster *name* of an object, as kcp annotates it (`root`, or a generated name like `2a7x9k3bq1z8yh4p`) */
export const CLUSTER_ANNOTATION = 'kcp.io/cluster';
/** the workspace *path* of an object (`root:org:team`), as kcp annotates LogicalClusters and exports */
export const PATH_ANNOTATION = 'kcp.io/path';

type Annotated = { metadata?: { annotations?: Record<string, string> } } | null | undefined;

/**
 * The workspace path an object lives in: the `/clusters/<path>` it is served under, and the
 * cluster part of every key TMC computes (caches, cluster keys, downstream namespaces), which must
 * not change when a workspace is addressed by name instead. `kcp.io/path`, else `kcp.io/cluster`:
 * objects stored before names existed carry the path there, and a real kcp's objects carry only
 * the name, which `/clusters/<name>` resolves just the same. `fallback` for an object without
 * either (physical-cluster mode stores none). Every reader goes through this one accessor.
 */
export function clusterOf(obj: Annotated, fallback = ''): string {
  const a = obj?.metadata?.annotations;
  return a?.[PATH_ANNOTATION] || a?.[CLUSTER_ANNOTATION] || fallback;
}

/** The logical cluster name an object lives in (`kcp.io/cluster`), what kcp-style clients address it by. */
export function logicalClusterNameOf(obj: Annotated, fallback = ''): string {
  return obj?.metadata?.annotations?.[CLUSTER_ANNOTATION] || fallback;
}

export type SyncState = 'Sync' | 'Pending';

export const stateLabel = (key: string): string => STATE_LABEL_PREFIX + key;
export const deletionAnnotation = (key: string): string => DELETION_ANNOTATION_PREFIX + key;
export const syncerFinalizer = (key: string): string => SYNCER_FINALIZER_PREFIX + key;
export const specDiffAnnotation = (key: string): string => SPEC_DIFF_ANNOTATION_PREFIX + key;
export const statusAnnotation = (key: string): string => STATUS_ANNOTATION_PREFIX + key;
export const failoverAnnotation = (key: string): string => FAILOVER_ANNOTATION_PREFIX + key;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(buf: Buffer): string {
  let n = BigInt('0x' + buf.toString('hex'));
  let s = '';
  while (n > 0n) { s = BASE62[Number(n % 62n)] + s; n /= 62n; }
  return s || '0';
}

/**
 * The cluster key: a short stable hash of (ClusterRegistration workspace, name), like kcp's
 * ToSyncTargetKey (base62 of sha224), cut to 8 characters so label keys stay short. Label keys
 * allow [A-Za-z0-9] so base62 is safe.
 */
export function clusterKey(registrationWorkspace: string, registrationName: string): string {
  const h = createHash('sha224').update(`${registrationWorkspace}:${registrationName}`).digest();
  return base62(h).slice(0, 8);
}

export interface NamespaceLocator {
  workspace: string;
  namespace: string;
  cluster: string;
}

/** Downstream namespace: `tmc-` + 12 chars of base36(sha224(locator JSON)). */
export function downstreamNamespaceName(loc: NamespaceLocator): string {
  const json = JSON.stringify({ workspace: loc.workspace, namespace: loc.namespace, cluster: loc.cluster });
  const h = createHash('sha224').update(json).digest();
  return 'tmc-' + BigInt('0x' + h.toString('hex')).toString(36).slice(0, 12);
}
