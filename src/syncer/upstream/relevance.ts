/**
 * Does an upstream update matter to one cluster's syncer? Every write to a placed object (another
 * cluster's status annotation, the aggregator's `.status`, another syncer's finalizer) reaches
 * every syncer of that object; reconciling each one re-runs the transform and the drift check for
 * nothing. Only these can change what this cluster's reconcile does: everything outside metadata
 * and status (spec, data, …), name and deletion, the labels and annotations the transform keeps
 * or reads (this cluster's state label, spec-diff and deletion annotations included; other
 * clusters' and `kcp.io/cluster` excluded), whether our finalizer is there, and the removal of our
 * own status report (writing it is our doing, and needs no reconcile). The periodic resync
 * reconciles everything regardless, so a filter mistake could only delay, never lose, a change.
 */
import { TRACE_CONTEXT_ANNOTATION } from '../../observability/tracing.js';
import {
  CLUSTER_ANNOTATION, DELETION_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX, PATH_ANNOTATION, SPEC_DIFF_ANNOTATION_PREFIX, STATE_LABEL_PREFIX, STATUS_ANNOTATION_PREFIX, statusAnnotation, syncerFinalizer,
} from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';
import { deepEqual } from '../../controllers/merge-patch.js';

type Json = Parameters<typeof deepEqual>[0];
const PER_CLUSTER_PREFIXES = [STATE_LABEL_PREFIX, DELETION_ANNOTATION_PREFIX, SPEC_DIFF_ANNOTATION_PREFIX, STATUS_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX];
const IGNORED_TOP = new Set(['metadata', 'status']);

export function relevantChange(oldObj: KubeObject, newObj: KubeObject, clusterKey: string): boolean {
  const o = oldObj as Record<string, unknown>;
  const n = newObj as Record<string, unknown>;
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (!IGNORED_TOP.has(k) && !deepEqual(o[k] as Json, n[k] as Json)) return true;
  }
  const om = oldObj.metadata ?? {};
  const nm = newObj.metadata ?? {};
  if (om.name !== nm.name || om.namespace !== nm.namespace || om.uid !== nm.uid || om.generation !== nm.generation) return true;
  if (om.deletionTimestamp !== nm.deletionTimestamp) return true;
  const fin = syncerFinalizer(clusterKey);
  if ((om.finalizers ?? []).includes(fin) !== (nm.finalizers ?? []).includes(fin)) return true;
  // Our own report written (by us: the first, or a newer one) needs nothing done; removed (by
  // someone else) it must be written again.
  const own = statusAnnotation(clusterKey);
  if (om.annotations?.[own] !== undefined && nm.annotations?.[own] === undefined) return true;
  return !sameForCluster(om.labels, nm.labels, clusterKey) || !sameForCluster(om.annotations, nm.annotations, clusterKey);
}

/** Equal maps, ignoring other clusters' per-cluster keys and where the object lives (kcp.io/cluster, kcp.io/path). */
function sameForCluster(a: Record<string, string> | undefined, b: Record<string, string> | undefined, clusterKey: string): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const counts = (m: Record<string, string>): number => {
    let c = 0;
    for (const k of Object.keys(m)) if (relevantKey(k, clusterKey)) c++;
    return c;
  };
  for (const k of Object.keys(x)) if (relevantKey(k, clusterKey) && x[k] !== y[k]) return false;
  return counts(x) === counts(y);
}

function relevantKey(k: string, clusterKey: string): boolean {
  if (k === CLUSTER_ANNOTATION || k === PATH_ANNOTATION || k === TRACE_CONTEXT_ANNOTATION) return false;
  if (k.startsWith(STATUS_ANNOTATION_PREFIX)) return false; // our own: see relevantChange
  for (const p of PER_CLUSTER_PREFIXES) if (k.startsWith(p)) return k.slice(p.length) === clusterKey;
  return true;
}
