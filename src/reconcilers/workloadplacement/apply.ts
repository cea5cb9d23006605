/**
 * Step 4 of a reconcile: turn one workload's decision into its labels and annotations
 * (DESIGN.md §5) and report how it is doing on each cluster.
 *
 * - chosen cluster → `state.tmc.kcp.io/<key>=Sync` and the syncer's finalizer
 *   `tmc.kcp.io/syncer-<key>` in the same write (so no copy can exist before the finalizer, and the
 *   syncer need not write it itself), no deletion annotation, and `spec-diff.tmc.kcp.io/<key>`
 *   when there is a replica share (Divided) or a matching override;
 * - vacated cluster → `deletion.tmc.kcp.io/<key>=<now>`; once the syncer's finalizer is off the
 *   object the state label and that cluster's annotations go too. A cluster whose syncer never
 *   reported (no `status.tmc.kcp.io/<key>`) has not taken the workload on: it is released at once,
 *   finalizer included (a copy made just before would be removed by its syncer when the label goes);
 * - a cluster vacated because it failed (NotReady, drained, NoExecute) follows the placement's
 *   `failover.purgeMode`: Graceful keeps its copy syncing until every chosen cluster reports the
 *   workload available at its share, Never keeps it, Immediately vacates at once; a copy kept so
 *   is marked `failover.tmc.kcp.io/<key>` (an old copy: the aggregate status does not count it);
 * - a placed cluster the engine neither chose nor evicted (no decision could be made) stays;
 * - a label for a cluster key no registered cluster has is vacated.
 */
import {
  PLACEMENT_ANNOTATION, STATE_LABEL_PREFIX, deletionAnnotation, failoverAnnotation, specDiffAnnotation, stateLabel, statusAnnotation,
  syncerFinalizer,
} from '../../apis/contract.js';
import type { Override, WorkloadClusterStatus } from '../../apis/tmc/index.js';
import type { CelCompiler, Decision, DecisionCluster } from '../../placement/index.js';
import type { ClusterKeys } from './cluster-input.js';
import { matchCluster } from './cluster-match.js';
import { clusterWorkloadStatus } from './cluster-status.js';
import { isDivided, workloadReplicas } from './decide.js';
import { FAILOVER_REASONS } from './history.js';
import { placementAnnotationValue } from './selection.js';
import { specDiff } from './spec-diff.js';
import { stringifyJSON } from '../../machinery/json-text.js';
import type { ClusterRegistration, WorkloadMetadataPatch, WorkloadObject, WorkloadPlacement } from './types.js';

export interface ApplyInput {
  placement: WorkloadPlacement;
  workload: WorkloadObject;
  /** undefined: release the workload (no longer selected, or the placement is gone). */
  decision: Decision | undefined;
  keys: ClusterKeys;
  clustersByName: ReadonlyMap<string, ClusterRegistration>;
  now: string;
  celCompiler?: CelCompiler;
}

export interface ApplyOutput {
  /** undefined when the workload already looks as decided. */
  patch?: WorkloadMetadataPatch;
  clusters: WorkloadClusterStatus[];
  /** Override problems (CEL errors), to surface as a condition. */
  warnings: string[];
}

export function applyDecision(input: ApplyInput): ApplyOutput {
  const { workload: w, decision, keys } = input;
  const labels: Record<string, string> = { ...w.metadata.labels };
  const annotations: Record<string, string> = { ...w.metadata.annotations };
  const finalizers = new Set(w.metadata.finalizers ?? []);
  const statuses: WorkloadClusterStatus[] = [];
  const warnings: string[] = [];
  const total = workloadReplicas(w);
  const divided = isDivided(input.placement.spec);

  // 1. chosen clusters
  const chosen = new Map<string, DecisionCluster>();
  for (const c of decision?.clusters ?? []) {
    const key = c.clusterKey ?? keys.key(c.clusterName);
    if (!key) continue;
    chosen.set(key, c);
    labels[stateLabel(key)] = 'Sync';
    finalizers.add(syncerFinalizer(key));
    delete annotations[deletionAnnotation(key)];
    delete annotations[failoverAnnotation(key)];
    const overrides = matchingOverrides(input, c.clusterName, warnings);
    const ops = specDiff(w, divided ? c.replicas : undefined, overrides);
    // an override's value may nest as deep as kube accepts, past what JSON.stringify holds
    if (ops.length > 0) annotations[specDiffAnnotation(key)] = stringifyJSON(ops);
    else delete annotations[specDiffAnnotation(key)];
    const share = c.replicas ?? total;
    const st = clusterWorkloadStatus(w, key, share);
    // The finalizer is ours now (written with the label); the syncer's first report says it took the workload on.
    const state = st.failed ? 'Failed' : st.reported ? 'Sync' : 'Pending';
    statuses.push(clusterStatus(c.clusterName, state, share, st.ready, st.message));
  }

  // 2. everything else that is labelled: keep, or vacate
  const evictions = new Map((decision?.evictions ?? []).map((e) => [e.clusterName, e]));
  const replacementsReady = chosen.size > 0 && [...chosen].every(([key, c]) => clusterWorkloadStatus(w, key, c.replicas ?? total).ready);
  for (const label of Object.keys(labels)) {
    if (!label.startsWith(STATE_LABEL_PREFIX)) continue;
    const key = label.slice(STATE_LABEL_PREFIX.length);
    if (chosen.has(key)) continue;
    const name = keys.name(key);
    const eviction = name === undefined ? undefined : evictions.get(name);
    const beingDeleted = annotations[deletionAnnotation(key)] !== undefined;
    const vacate = decision === undefined || name === undefined || eviction !== undefined || beingDeleted;
    if (!vacate) {
      statuses.push(clusterStatus(name, 'Sync', undefined, clusterWorkloadStatus(w, key, undefined).ready, 'kept: no new decision could be made'));
      continue;
    }
    if (eviction && !beingDeleted && FAILOVER_REASONS.has(eviction.reason)) {
      const mode = eviction.purgeMode;
      if (mode === 'Never' || (mode === 'Graceful' && !replacementsReady)) {
        const why = mode === 'Never'
          ? `kept although ${eviction.reason} (purgeMode Never)`
          : `${eviction.reason}: kept until the chosen clusters report the workload available (purgeMode Graceful)`;
        // marks the old copy, so the aggregate status does not count it beside its replacement
        annotations[failoverAnnotation(key)] = why;
        statuses.push(clusterStatus(name as string, 'Sync', undefined, false, why));
        continue;
      }
    }
    annotations[deletionAnnotation(key)] ??= input.now;
    if (!finalizers.has(syncerFinalizer(key)) || annotations[statusAnnotation(key)] === undefined) {
      // Released by the syncer, or never taken on by it: nothing downstream to wait for.
      finalizers.delete(syncerFinalizer(key));
      delete labels[label];
      delete annotations[deletionAnnotation(key)];
      delete annotations[specDiffAnnotation(key)];
      delete annotations[statusAnnotation(key)];
      delete annotations[failoverAnnotation(key)];
      continue;
    }
    statuses.push(clusterStatus(name ?? key, 'Deleting', undefined, false, eviction ? `${eviction.reason}: ${eviction.message}` : 'removing'));
  }

  // 3. ownership
  const me = placementAnnotationValue(input.placement.metadata.namespace as string, input.placement.metadata.name as string);
  const anyLabel = Object.keys(labels).some((l) => l.startsWith(STATE_LABEL_PREFIX));
  if (decision !== undefined || anyLabel) annotations[PLACEMENT_ANNOTATION] = me;
  else if (annotations[PLACEMENT_ANNOTATION] === me) delete annotations[PLACEMENT_ANNOTATION];

  statuses.sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0));
  return { patch: metadataPatch(w, labels, annotations, [...finalizers]), clusters: statuses, warnings };
}

function matchingOverrides(input: ApplyInput, clusterName: string, warnings: string[]): Override[] {
  const overrides = input.placement.spec.overrides ?? [];
  if (overrides.length === 0) return [];
  const cluster = input.clustersByName.get(clusterName);
  if (!cluster) return [];
  return overrides.filter((o, i) => {
    const m = matchCluster(o.clusterSelector, cluster, input.celCompiler);
    if (m.error) warnings.push(`overrides[${i}].clusterSelector: ${m.error}`);
    return m.matches;
  });
}

function clusterStatus(clusterName: string, state: WorkloadClusterStatus['state'], replicas: number | undefined, ready: boolean, message?: string): WorkloadClusterStatus {
  const s: WorkloadClusterStatus = { clusterName, state, ready };
  if (replicas !== undefined) s.replicas = replicas;
  if (message) s.message = message;
  return s;
}

/**
 * A merge patch of labels and annotations (null removes) and, when it changed, the whole finalizer
 * list (the caller's resourceVersion precondition keeps a concurrent finalizer change from being
 * lost), or undefined when nothing changes.
 */
function metadataPatch(w: WorkloadObject, labels: Record<string, string>, annotations: Record<string, string>, finalizers: string[]): WorkloadMetadataPatch | undefined {
  const diff = (before: Record<string, string> | undefined, after: Record<string, string>) => {
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(after)) if (before?.[k] !== v) out[k] = v;
    for (const k of Object.keys(before ?? {})) if (!(k in after)) out[k] = null;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const l = diff(w.metadata.labels, labels);
  const a = diff(w.metadata.annotations, annotations);
  const before = w.metadata.finalizers ?? [];
  const f = finalizers.length !== before.length || finalizers.some((x, i) => x !== before[i]) ? finalizers : undefined;
  if (!l && !a && !f) return undefined;
  const patch: WorkloadMetadataPatch = { metadata: {} };
  if (l) patch.metadata.labels = l;
  if (a) patch.metadata.annotations = a;
  if (f) patch.metadata.finalizers = f;
  return patch;
}
