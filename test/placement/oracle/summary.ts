/**
 * The one-line explanation of an unschedulable decision, in kube-scheduler's style:
 * "0/5 clusters are available: 2 NotReady, 3 Insufficient cpu." Each infeasible cluster is
 * counted once, under its first failing filter, so the counts add up to the total.
 */
import { Reason } from './reasons.js';
import type { FilterVerdict } from './types.js';

const PHRASES: Record<string, string> = {
  [Reason.NotReady]: 'NotReady',
  [Reason.Cordoned]: 'cordoned',
  [Reason.Draining]: 'draining',
  [Reason.Evicting]: 'drained',
  [Reason.InsufficientCPU]: 'Insufficient cpu',
  [Reason.InsufficientMemory]: 'Insufficient memory',
  [Reason.InsufficientPods]: 'Insufficient pods',
  [Reason.ClusterNotSelected]: 'not matching clusterSelector',
  [Reason.APINotSynced]: 'not syncing the resource',
  [Reason.CELError]: 'CEL error',
};

export function phrase(v: FilterVerdict): string {
  return PHRASES[v.reason ?? ''] ?? v.message ?? v.reason ?? v.plugin;
}

export function availabilitySummary(total: number, feasible: number, firstFailures: readonly FilterVerdict[]): string {
  const counts = new Map<string, number>();
  for (const v of firstFailures) {
    const p = phrase(v);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const parts = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([p, n]) => `${n} ${p}`);
  return `${feasible}/${total} clusters are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}
