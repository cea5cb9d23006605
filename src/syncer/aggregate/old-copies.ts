/**
 * Old copies during a failover. purgeMode Graceful keeps the copy on a failed cluster running
 * until its replacement is available, and a vacated copy reports until it is gone; counting them
 * beside their replacements would show READY 6/3. While other copies run, old ones are left out
 * of the counters and named in the `OldCopies` condition instead; when every copy is old (the
 * workload is leaving every cluster) they are all that runs, so they are counted.
 */
import type { Condition } from '../conditions.js';
import type { ClusterStatus } from './types.js';

export const OLD_COPIES = 'OldCopies';

export function splitOldCopies(clusters: readonly ClusterStatus[]): { counted: ClusterStatus[]; old: ClusterStatus[] } {
  const current = clusters.filter((c) => c.old === undefined);
  if (current.length === 0) return { counted: [...clusters], old: [] };
  return { counted: current, old: clusters.filter((c) => c.old !== undefined) };
}

/** `OldCopies=True`, saying per old copy how ready it is and why it is kept. */
export function oldCopiesCondition(old: readonly ClusterStatus[]): Condition {
  // Deployments and StatefulSets say readyReplicas/replicas, DaemonSets numberReady/desiredNumberScheduled
  const count = (c: ClusterStatus, ...fields: string[]): number => {
    for (const f of fields) if (typeof c.status[f] === 'number') return c.status[f] as number;
    return 0;
  };
  const each = old.map((c) => `${c.key}: ${count(c, 'readyReplicas', 'numberReady')}/${count(c, 'replicas', 'desiredNumberScheduled')} ready (${c.old})`);
  return {
    type: OLD_COPIES, status: 'True', reason: 'FailoverInProgress',
    message: `old copies, not counted in the replica counts: ${each.join('; ')}`,
  };
}
