/**
 * Jobs: succeeded/failed/active/ready/terminating summed; Complete is True only when every cluster
 * completed (a Job runs everywhere it is placed), Failed is True when any cluster failed.
 * startTime is the earliest, completionTime the latest once all are complete.
 */
import type { Condition } from '../conditions.js';
import type { AggregateStatus, ClusterStatus } from './types.js';

export function aggregateJob(clusters: readonly ClusterStatus[], merged: Condition[]): AggregateStatus {
  const out: AggregateStatus = {};
  for (const field of ['succeeded', 'failed', 'active', 'ready', 'terminating']) {
    const values = clusters.map((c) => c.status[field]).filter((v): v is number => typeof v === 'number');
    if (values.length) out[field] = values.reduce((a, b) => a + b, 0);
  }
  const starts = clusters.map((c) => c.status.startTime).filter((v): v is string => typeof v === 'string').sort();
  if (starts.length) out.startTime = starts[0];

  const isTrue = (c: ClusterStatus, type: string): boolean => !!c.status.conditions?.some((x) => x.type === type && x.status === 'True');
  const allComplete = clusters.length > 0 && clusters.every((c) => isTrue(c, 'Complete'));
  const anyFailed = clusters.some((c) => isTrue(c, 'Failed'));
  const conditions = merged.filter((c) => c.type !== 'Complete' && c.type !== 'Failed');
  if (allComplete) {
    const ends = clusters.map((c) => c.status.completionTime).filter((v): v is string => typeof v === 'string').sort();
    if (ends.length) out.completionTime = ends.at(-1);
    conditions.push(merged.find((c) => c.type === 'Complete')!);
  } else if (merged.some((c) => c.type === 'Complete')) {
    const done = clusters.filter((c) => isTrue(c, 'Complete')).length;
    conditions.push({ type: 'Complete', status: 'False', reason: 'PartiallyComplete', message: `complete on ${done} of ${clusters.length} clusters` });
  }
  if (anyFailed) {
    const first = clusters.find((c) => isTrue(c, 'Failed'))!;
    conditions.push({ ...first.status.conditions!.find((x) => x.type === 'Failed' && x.status === 'True')!, message: `failed on cluster ${first.key}` });
  }
  out.conditions = conditions.sort((a, b) => a.type.localeCompare(b.type));
  return out;
}
