/**
 * Taints and tolerations with Kubernetes' matching rules: an empty toleration key with Exists
 * matches every taint, an empty effect matches every effect, operator defaults to Equal. A
 * toleration with tolerationSeconds holds until taint.timeAdded + tolerationSeconds (OCM's
 * reading, used for every effect); a taint without timeAdded is treated as added just now, so an
 * unknown start never expires a toleration early.
 */
import { parseTime } from './time.js';
import type { Taint, Toleration } from './types.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return (t.key ?? '') === taint.key && (t.value ?? '') === (taint.value ?? '');
}

export type TaintCheck =
  | { tolerated: true; untilMs?: number }
  | { tolerated: false; expiredAtMs?: number };

/** Whether some toleration covers `taint` at `nowMs`; the longest-lasting matching one wins. */
export function checkTaint(taint: Taint, tolerations: Toleration[], nowMs: number): TaintCheck {
  let best: TaintCheck | undefined;
  const added = parseTime(taint.timeAdded) ?? nowMs;
  for (const t of tolerations) {
    if (!tolerates(t, taint)) continue;
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) return { tolerated: true };
    const until = added + Math.max(0, t.tolerationSeconds) * 1000;
    if (until > nowMs) {
      if (!best || !best.tolerated || (best.untilMs ?? Infinity) < until) best = { tolerated: true, untilMs: until };
    } else if (!best) {
      best = { tolerated: false, expiredAtMs: until };
    } else if (!best.tolerated && (best.expiredAtMs ?? 0) < until) {
      best = { tolerated: false, expiredAtMs: until };
    }
  }
  return best ?? { tolerated: false };
}

export function taintString(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}
