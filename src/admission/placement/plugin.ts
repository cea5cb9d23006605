/**
 * Placement at admission: a workload created or updated in a namespace where a scheduled
 * WorkloadPlacement selects it gets its placement in the same write — state labels
 * (`state.tmc.kcp.io/<key>: Sync`), the `tmc.kcp.io/placement` annotation and, for Divided
 * placements, a per-cluster replica share as `spec-diff.tmc.kcp.io/<key>` — so syncers can act
 * at once instead of waiting for the placement controller's next pass. An object that already
 * carries state labels is left alone: the controller is the source of truth for it.
 */
import type { ClusterDecision, WorkloadPlacement } from '../../apis/tmc/v1alpha1.js';
import {
  PLACEMENT_ANNOTATION, STATE_LABEL_PREFIX, clusterKey, specDiffAnnotation, stateLabel,
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
  for (const d of decisions) {
    const key = d.clusterKey ?? clusterKey(p.spec?.locationWorkspace || cluster, d.clusterName);
    meta.labels[stateLabel(key)] = 'Sync';
    if (divided && hasReplicas && typeof d.replicas === 'number')
      meta.annotations[specDiffAnnotation(key)] = JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: d.replicas }]);
  }
  meta.annotations[PLACEMENT_ANNOTATION] = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}
