/**
 * The order of a WorkloadPlacement's conditions (Scheduled, Synced, Available, then any other), so
 * status diffs stay readable; setting them is apis/conditions.ts' setCondition.
 */
import type { Condition } from '../../apis/tmc/index.js';

const ORDER = ['Scheduled', 'Synced', 'Available'];

function order(type: string): number {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
}

export function sortConditions(conditions: readonly Condition[]): Condition[] {
  return [...conditions].sort((a, b) => order(a.type) - order(b.type));
}
