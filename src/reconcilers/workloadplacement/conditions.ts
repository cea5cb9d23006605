/**
 * metav1.Condition bookkeeping: setting a condition keeps its lastTransitionTime unless its
 * status changes, so rewriting the same status is a no-op the committer can skip.
 */
import type { Condition } from '../../apis/tmc/index.js';

export type ConditionStatus = Condition['status'];

export function setCondition(
  conditions: Condition[], type: string, status: ConditionStatus, reason: string, message: string, now: string, observedGeneration?: number,
): Condition[] {
  const old = conditions.find((c) => c.type === type);
  const next: Condition = {
    type, status, reason, message,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
  };
  if (observedGeneration !== undefined) next.observedGeneration = observedGeneration;
  return [...conditions.filter((c) => c.type !== type), next].sort((a, b) => order(a.type) - order(b.type));
}

const ORDER = ['Scheduled', 'Synced', 'Available'];

function order(type: string): number {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
}

/** RFC3339 without milliseconds, as Kubernetes writes metav1.Time. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
