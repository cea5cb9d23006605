/**
 * Placement at admission: a workload created or updated in a namespace where a scheduled
 * WorkloadPlacement selects it gets its placement in the same write — state labels
 * (`state.tmc.kcp.io/<key>: Sync`) with each cluster's syncer finalizer (`tmc.kcp.io/syncer-<key>`:
 * the copy a syncer makes is then always waited for, and the syncer has no finalizer of its own
 * to write), the `tmc.kcp.io/placement` annotation and, for Divided
 * placements, a per-cluster replica share as `spec-diff.tmc.kcp.io/<key>` — so syncers can act
 * at once instead of waiting for the placement controller's next pass. An object that already
 * carries state labels is left alone: the controller is the source of truth for it.
 */
import type { ClusterDecision, WorkloadPlacement } from '../../apis/tmc/v1alpha1.js';
import {
  PLACEMENT_ANNOTATION, STATE_LABEL_PREFIX, clusterKey, specDiffAnnotation, stateLabel, syncerFinalizer,
} from '../../apis/contract.js';
import type { AdmissionAttributes } from '../../registry/hooks.js';
import type { AdmissionPlugin } from '../plugin.js';
import { choosePlacement, isWorkloadKind } from './select.js';

/** Where placements come from (the watch-fed cache in production, a fake in tests). */
export interface PlacementSource {
  ready?(): Promise<void>;
  placements(cluster: string, namespace: string): WorkloadPlacement[];
}

export const PLACEMENTS_RESOURCE = 'tmc.kcp.io/workloadplacements';

export class PlacementPlugin implements AdmissionPlugin {
  readonly name = 'WorkloadPlacement';
  constructor(private readonly source: PlacementSource) {}

  async mutate(attrs: AdmissionAttributes): Promise<void> {
    const obj = attrs.object;
    if (!obj || attrs.subresource || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return;
    if (!attrs.def.namespaced || !isWorkloadKind(attrs.def.group, attrs.def.kind)) return;
    const labels = obj.metadata?.labels ?? {};
    if (Object.keys(labels).some((k) => k.startsWith(STATE_LABEL_PREFIX))) return;
    await this.source.ready?.();
    const p = choosePlacement(this.source.placements(attrs.cluster, attrs.namespace), attrs.def.group, attrs.def.kind, obj);
    const decisions = p?.status?.decisions ?? [];
    if (!p || !decisions.length) return;
    applyDecisions(obj, p, decisions, attrs.cluster);
  }
}

export function applyDecisions(obj: NonNullable<AdmissionAttributes['object']>, p: WorkloadPlacement, decisions: ClusterDecision[], cluster: string): void {
  const meta = obj.metadata;
  meta.labels ??= {};
  meta.annotations ??= {};
  const divided = p.spec?.replicaScheduling?.type === 'Divided';
  const hasReplicas = typeof obj.spec?.replicas === 'number' || ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(obj.kind ?? '');
  // status.decisions[].replicas sum the replicas of every workload the placement holds, so they
  // are weights here: this workload's own replicas are divided in their proportion.
  const shares = divided && hasReplicas && decisions.some((d) => typeof d.replicas === 'number')
    ? divideReplicas(typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1, decisions.map((d) => d.replicas ?? 0))
    : undefined;
  decisions.forEach((d, i) => {
    const key = d.clusterKey ?? clusterKey(p.spec?.locationWorkspace || cluster, d.clusterName);
    meta.labels![stateLabel(key)] = 'Sync';
    if (!meta.deletionTimestamp && !meta.finalizers?.includes(syncerFinalizer(key))) meta.finalizers = [...meta.finalizers ?? [], syncerFinalizer(key)];
    if (shares) meta.annotations![specDiffAnnotation(key)] = JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: shares[i] }]);
  });
  meta.annotations[PLACEMENT_ANNOTATION] = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

/**
 * Splits `total` in proportion to `weights` (largest remainder, ties to the earlier entry); equal
 * shares when every weight is 0. The parts always sum to `total`.
 */
export function divideReplicas(total: number, weights: number[]): number[] {
  const n = weights.length;
  if (!n) return [];
  const t = Math.max(0, Math.floor(total));
  const ws = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = ws.reduce((a, b) => a + b, 0);
  const exact = sum > 0 ? ws.map((w) => (t * w) / sum) : ws.map(() => t / n);
  const out = exact.map(Math.floor);
  let left = t - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) { if (left <= 0) break; out[i]++; left--; }
  return out;
}
