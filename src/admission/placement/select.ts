/**
 * Which WorkloadPlacement (if any) claims a workload: its workloadSelector's types, label
 * selector and names must all accept the object. Among several, the highest priority wins,
 * then the oldest name in order — deterministic, so two writes never disagree.
 */
import type { WorkloadPlacement } from '../../apis/tmc/v1alpha1.js';
import { labelSelectorFromSpec, type LabelSelectorSpec } from '../../machinery/labels.js';
import type { KubeObject } from '../../storage/types.js';

/** The kinds TMC places (group, kind). */
export const WORKLOAD_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: 'apps', kind: 'Deployment' }, { group: 'apps', kind: 'StatefulSet' }, { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'ReplicaSet' }, { group: 'batch', kind: 'Job' }, { group: 'batch', kind: 'CronJob' },
  { group: '', kind: 'Service' }, { group: 'networking.k8s.io', kind: 'Ingress' }, { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'ConfigMap' }, { group: '', kind: 'Secret' },
];

export function isWorkloadKind(group: string, kind: string): boolean {
  return WORKLOAD_KINDS.some((w) => w.group === group && w.kind === kind);
}

export function selects(p: WorkloadPlacement, group: string, kind: string, obj: KubeObject): boolean {
  const ws = p.spec?.workloadSelector;
  const types = ws?.workloadTypes ?? [];
  if (types.length && !types.some((t) => (t.group ?? '') === group && t.kind === kind)) return false;
  if (ws?.names?.length && !ws.names.includes(obj.metadata?.name ?? '')) return false;
  if (ws?.labelSelector && !labelSelectorFromSpec(ws.labelSelector as LabelSelectorSpec).matches(obj.metadata?.labels ?? {})) return false;
  return true;
}

export function choosePlacement(candidates: WorkloadPlacement[], group: string, kind: string, obj: KubeObject): WorkloadPlacement | undefined {
  return candidates
    .filter((p) => selects(p, group, kind, obj))
    .sort((a, b) => (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}
