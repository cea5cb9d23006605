/**
 * Heartbeat freshness and the unreachable taint, pure. A heartbeat is stale when it is older than
 * the threshold, measured with the injected clock from status.lastHeartbeatTime (or, for a
 * cluster that never answered, from its creation), like Karmada's cluster health grace period.
 */
import type { ClusterRegistration, Taint } from '../../apis/tmc/index.js';
import { UNREACHABLE_TAINT_KEY } from './constants.js';

export interface HeartbeatAge {
  /** When the age is counted from (ms since epoch). */
  since: number;
  /** True when a heartbeat has ever been recorded. */
  everHeartbeated: boolean;
  stale: boolean;
  /** ms until the heartbeat goes stale (0 when it already is). */
  msUntilStale: number;
}

export function heartbeatAge(registration: ClusterRegistration, nowMs: number, thresholdMs: number): HeartbeatAge {
  const last = parseTime(registration.status?.lastHeartbeatTime);
  const created = parseTime(registration.metadata.creationTimestamp as string | undefined);
  const since = last ?? created ?? nowMs;
  const age = nowMs - since;
  return { since, everHeartbeated: last !== undefined, stale: age > thresholdMs, msUntilStale: Math.max(0, thresholdMs - age) };
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

export function hasUnreachableTaint(taints: readonly Taint[] | undefined): boolean {
  return (taints ?? []).some((t) => t.key === UNREACHABLE_TAINT_KEY && t.effect === 'NoSchedule');
}

/** spec.taints with the NoSchedule unreachable taint present (added with `timeAdded`) or absent. */
export function withUnreachableTaint(taints: readonly Taint[] | undefined, present: boolean, nowISO: string): Taint[] | undefined {
  const list = [...(taints ?? [])];
  const has = hasUnreachableTaint(list);
  if (present && !has) return [...list, { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: nowISO }];
  if (!present && has) {
    const rest = list.filter((t) => !(t.key === UNREACHABLE_TAINT_KEY && t.effect === 'NoSchedule'));
    return rest.length ? rest : undefined;
  }
  return taints === undefined ? undefined : list;
}
