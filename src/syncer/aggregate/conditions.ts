/**
 * Merging conditions over clusters, as kcp's deployment coordinator: per type, True beats False
 * beats Unknown (a workload is Available if it is available somewhere). `Synced` is the exception:
 * one failing cluster makes it False, because hiding a failure is the bug TMC exists to avoid.
 */
import { SYNCED, type Condition } from '../conditions.js';
import type { ClusterStatus } from './types.js';

const RANK: Record<string, number> = { True: 3, False: 2, Unknown: 1 };
const rank = (c: Condition): number => RANK[c.status] ?? 0;

/** Clusters must come sorted by key; ties keep the first cluster's condition (deterministic output). */
export function mergeConditions(clusters: readonly ClusterStatus[]): Condition[] {
  const byType = new Map<string, Condition>();
  for (const { status } of clusters) {
    for (const c of status.conditions ?? []) {
      if (c.type === SYNCED) continue;
      const prev = byType.get(c.type);
      if (!prev || rank(c) > rank(prev)) byType.set(c.type, c);
    }
  }
  return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
}

/**
 * `Synced` over all clusters (False if any cluster's is False; Unknown if one has not reported)
 * plus `Synced/<key>` per cluster, so `kubectl get -o yaml` shows which cluster failed and why.
 */
export function syncConditions(clusters: readonly ClusterStatus[]): Condition[] {
  const perCluster: Condition[] = clusters.map(({ key, status }) => {
    const c = status.conditions?.find((x) => x.type === SYNCED);
    return c
      ? { ...c, type: `${SYNCED}/${key}` }
      : { type: `${SYNCED}/${key}`, status: 'Unknown', reason: 'NotReported', message: 'the syncer has not reported yet' };
  });
  if (perCluster.length === 0) return [];
  const failed = perCluster.filter((c) => c.status === 'False');
  const unknown = perCluster.filter((c) => c.status !== 'True' && c.status !== 'False');
  const names = (cs: Condition[]): string => cs.map((c) => `${c.type.slice(SYNCED.length + 1)}: ${c.reason ?? ''} ${c.message ?? ''}`.trim()).join('; ');
  const latest = perCluster.map((c) => c.lastTransitionTime ?? '').sort().at(-1) || undefined;
  const overall: Condition = failed.length
    ? { type: SYNCED, status: 'False', reason: failed[0].reason ?? 'SyncFailed', message: names(failed), lastTransitionTime: latest }
    : unknown.length
      ? { type: SYNCED, status: 'Unknown', reason: unknown[0].reason ?? 'NotReported', message: names(unknown), lastTransitionTime: latest }
      : { type: SYNCED, status: 'True', reason: 'Synced', message: `synced to ${perCluster.length} cluster(s)`, lastTransitionTime: latest };
  if (!overall.lastTransitionTime) delete overall.lastTransitionTime;
  return [overall, ...perCluster];
}
