/**
 * Whether spec.workloadSelector selects the workload (workloadTypes AND labelSelector AND names).
 * The controller picks the placement for a workload; the engine re-checks so a mismatched call
 * yields a clear Unschedulable instead of a silent placement.
 */
import { labelSelectorFromSpec } from '../../../src/machinery/labels.js';
import type { Workload, WorkloadPlacementSpec } from './types.js';

export function workloadSelectorMismatch(spec: WorkloadPlacementSpec, w: Workload): string | undefined {
  const sel = spec.workloadSelector;
  if (!sel) return undefined;
  if (sel.workloadTypes?.length) {
    const group = w.apiVersion?.includes('/') ? w.apiVersion.split('/')[0] : '';
    if (!sel.workloadTypes.some((t) => t.kind === w.kind && (t.group ?? '') === group)) {
      return `workload type ${w.kind ?? '?'}${group ? `.${group}` : ''} is not in workloadSelector.workloadTypes`;
    }
  }
  if (sel.names?.length && !sel.names.includes(w.metadata.name)) return `workload ${w.metadata.name} is not in workloadSelector.names`;
  if (sel.labelSelector) {
    let matches = false;
    try {
      matches = labelSelectorFromSpec(sel.labelSelector).matches(w.metadata.labels);
    } catch (e) {
      return `invalid workloadSelector.labelSelector: ${(e as Error).message}`;
    }
    if (!matches) return 'workload labels do not match workloadSelector.labelSelector';
  }
  return undefined;
}
