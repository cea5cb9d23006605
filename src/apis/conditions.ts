/**
 * metav1.Condition bookkeeping shared by every controller that writes conditions: setting a
 * condition keeps its lastTransitionTime unless its status changes, so re-asserting the same status
 * is no transition and, with equal reason and message, no write.
 *
 * May import: nothing outside src/apis.
 */

/** The fields every condition has; the generated `Condition` of apis/tmc and kcp's shapes fit it. */
export interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * A new list with `next` set: a condition of that type is replaced in place, a new type appended.
 * `lastTransitionTime` is the previous one while the status is unchanged, else `now`.
 */
export function setCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, next: Omit<C, 'lastTransitionTime'>, now: string): C[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const previous = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = previous?.lastTransitionTime && previous.status === next.status ? previous.lastTransitionTime : now;
  const set = { ...next, lastTransitionTime } as C;
  if (i >= 0) list[i] = set;
  else list.push(set);
  return list;
}

export function findCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}
