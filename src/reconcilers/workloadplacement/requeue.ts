/**
 * When to look at a placement again without any event: the engine keeps a placed cluster through
 * a grace period (NotReady within failover.tolerationSeconds, a NoExecute taint within a
 * toleration's tolerationSeconds, a drain whose evictAfter is still ahead) and decides differently
 * the moment it ends. Nothing changes on the server then, so the controller requeues for the
 * earliest such deadline among the clusters the workloads are placed on.
 */
import { DEFAULT_FAILOVER_TOLERATION_SECONDS, type PreviousDecision, type Toleration } from '../../placement/index.js';
import type { ClusterRegistration, WorkloadPlacement } from './types.js';

/** A little past the deadline, so the engine (which compares with `<`) sees it expired. */
const SLACK_MS = 100;

export function nextDeadlineMs(
  placement: WorkloadPlacement, previous: readonly PreviousDecision[], clustersByName: ReadonlyMap<string, ClusterRegistration>, nowMs: number,
): number | undefined {
  const names = new Set(previous.flatMap((p) => p.clusters.map((c) => c.clusterName)));
  const grace = (placement.spec.failover?.tolerationSeconds ?? DEFAULT_FAILOVER_TOLERATION_SECONDS) * 1000;
  const tolerations = (placement.spec.tolerations ?? []) as Toleration[];
  let earliest: number | undefined;
  const consider = (t: number | undefined) => {
    if (t !== undefined && Number.isFinite(t) && t > nowMs && (earliest === undefined || t < earliest)) earliest = t;
  };
  for (const name of names) {
    const c = clustersByName.get(name);
    if (!c) continue;
    const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
    if (ready && ready.status !== 'True' && ready.lastTransitionTime) consider(Date.parse(ready.lastTransitionTime) + grace);
    if (c.spec?.evictAfter) consider(Date.parse(c.spec.evictAfter));
    for (const taint of c.spec?.taints ?? []) {
      if (taint.effect !== 'NoExecute' || !taint.timeAdded) continue; // without timeAdded the engine never expires it
      for (const t of tolerations) {
        if (t.tolerationSeconds === undefined || !tolerates(t, taint)) continue;
        consider(Date.parse(taint.timeAdded) + Math.max(0, t.tolerationSeconds) * 1000);
      }
    }
  }
  return earliest === undefined ? undefined : earliest - nowMs + SLACK_MS;
}

function tolerates(t: Toleration, taint: { key: string; value?: string; effect: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return (t.key ?? '') === taint.key && (t.value ?? '') === (taint.value ?? '');
}
