/**
 * Upstream object → the object to apply downstream (DESIGN.md §5). Pure: the same inputs always
 * give the same body, which is what makes drift detection a comparison.
 *
 * Stripped: server-owned metadata (uid, resourceVersion, generation, creationTimestamp,
 * managedFields, ownerReferences, finalizers, deletion fields, selfLink, generateName), status,
 * every TMC contract label/annotation (state, deletion, spec-diff, status, placement),
 * `kcp.io/cluster`, `kcp.io/path` and kubectl's last-applied-configuration. Services lose their cluster IPs (the
 * physical cluster allocates its own). Added: the namespace, the cluster-key label, the upstream
 * identity and generation, and a hash of the result.
 */
import { TRACE_CONTEXT_ANNOTATION } from '../../observability/tracing.js';
import { createHash } from 'node:crypto';
import {
  CLUSTER_ANNOTATION, CLUSTER_KEY_LABEL, PATH_ANNOTATION, DELETION_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX, PLACEMENT_ANNOTATION, SPEC_DIFF_ANNOTATION_PREFIX,
  STATE_LABEL_PREFIX, STATUS_ANNOTATION_PREFIX,
} from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';
import { DEPENDENCY_LABEL, DESIRED_HASH_ANNOTATION, UPSTREAM_ANNOTATION, UPSTREAM_GENERATION_ANNOTATION } from '../annotations.js';
import type { SyncedResource } from '../resources.js';
import { applySpecDiff, specDiffOf } from './spec-diff.js';
import { canonicalJSON } from '../../machinery/json-text.js';
import { cloneValue } from '../../machinery/objects.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DROPPED_ANNOTATION_PREFIXES = [DELETION_ANNOTATION_PREFIX, SPEC_DIFF_ANNOTATION_PREFIX, STATUS_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX];
const DROPPED_ANNOTATIONS = new Set([PLACEMENT_ANNOTATION, CLUSTER_ANNOTATION, PATH_ANNOTATION, LAST_APPLIED, TRACE_CONTEXT_ANNOTATION]);
const DROPPED_METADATA = new Set([
  'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'ownerReferences', 'finalizers',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName',
]);

export interface TransformInput {
  upstreamObj: KubeObject;
  resource: SyncedResource;
  clusterKey: string;
  /** The workspace the upstream object lives in. */
  workspace: string;
  downstreamNamespace: string;
  /** A ConfigMap/Secret travelling with a pod template: labelled for the dependency sweep, no spec-diff. */
  dependency?: boolean;
}

export function toDownstream(input: TransformInput): KubeObject {
  const { upstreamObj, resource, clusterKey } = input;
  // Only what goes downstream is copied: not status, managedFields or the per-cluster annotations
  // (with M clusters reporting, those are most of the upstream object).
  const { metadata: upstreamMeta, status: _status, ...body } = upstreamObj as KubeObject & { status?: unknown };
  let obj = cloneValue(body) as KubeObject;
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(upstreamMeta ?? {})) {
    if (DROPPED_METADATA.has(k) || k === 'labels' || k === 'annotations') continue;
    meta[k] = typeof v === 'object' && v !== null ? cloneValue(v) : v;
  }
  meta.labels = filterKeys(upstreamMeta?.labels, (k) => !k.startsWith(STATE_LABEL_PREFIX));
  meta.annotations = filterKeys(upstreamMeta?.annotations,
    (k) => !DROPPED_ANNOTATIONS.has(k) && !DROPPED_ANNOTATION_PREFIXES.some((p) => k.startsWith(p)));
  obj.metadata = meta as KubeObject['metadata'];
  if (resource.kind === 'Service') stripClusterIPs(obj);

  if (!input.dependency) {
    const ops = specDiffOf(upstreamObj, clusterKey);
    if (ops) obj = applySpecDiff(obj, ops);
  }

  // Set after the spec-diff so no override can remove TMC's own markers.
  obj.apiVersion = resource.apiVersion;
  obj.kind = resource.kind;
  const m = obj.metadata ??= {};
  m.name = upstreamObj.metadata?.name;
  m.namespace = input.downstreamNamespace;
  m.labels = { ...m.labels, [CLUSTER_KEY_LABEL]: clusterKey, ...(input.dependency ? { [DEPENDENCY_LABEL]: 'true' } : {}) };
  const identity = { workspace: input.workspace, namespace: upstreamObj.metadata?.namespace ?? '', name: upstreamObj.metadata?.name ?? '' };
  m.annotations = { ...m.annotations, [UPSTREAM_ANNOTATION]: JSON.stringify(identity) };
  const generation = upstreamObj.metadata?.generation;
  if (generation !== undefined && !input.dependency) m.annotations[UPSTREAM_GENERATION_ANNOTATION] = String(generation);
  if (Object.keys(m.labels).length === 0) delete m.labels;
  m.annotations[DESIRED_HASH_ANNOTATION] = desiredHash(obj);
  return obj;
}

/** sha256 of the canonical JSON (sorted keys) of the desired object, without the hash itself. */
export function desiredHash(obj: KubeObject): string {
  const { metadata, ...rest } = obj;
  const annotations = { ...metadata?.annotations };
  delete annotations[DESIRED_HASH_ANNOTATION];
  const unhashed = metadata ? { ...rest, metadata: { ...metadata, annotations: metadata.annotations ? annotations : undefined } } : rest;
  return createHash('sha256').update(canonicalJson(unhashed)).digest('hex').slice(0, 16);
}

function canonicalJson(v: unknown): string {
  return canonicalJSON(v);
}

function filterKeys(map: Record<string, string> | undefined, keep: (k: string) => boolean): Record<string, string> | undefined {
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (keep(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function stripClusterIPs(obj: KubeObject): void {
  const spec = (obj as { spec?: Record<string, unknown> }).spec;
  if (!spec) return;
  // "None" (headless) is a choice, not an allocation: keep it.
  if (spec.clusterIP !== 'None') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
}
