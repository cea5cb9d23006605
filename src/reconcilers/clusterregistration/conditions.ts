/**
 * What this controller's steps say about a condition; apis/conditions.ts' setCondition keeps
 * `lastTransitionTime` while the status holds, so a condition re-asserted every heartbeat does not
 * look like a flap (and causes no write).
 */

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}
