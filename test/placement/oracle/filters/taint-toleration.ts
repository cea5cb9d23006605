/**
 * Taints against spec.tolerations. NoSchedule blocks new placements and leaves existing ones;
 * NoExecute blocks and also vacates existing ones once not (or no longer) tolerated;
 * PreferNoSchedule is not a filter (the TaintToleration scorer penalises it).
 */
import { Reason } from '../reasons.js';
import { checkTaint, taintString } from '../tolerations.js';
import { fail, failNew, type FilterOutcome, type FilterPlugin, PASS } from './types.js';

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  enabled: () => true,
  filter(c, ctx) {
    if (c.taints.length === 0) return PASS;
    const tolerations = ctx.spec.tolerations ?? [];
    let soft: FilterOutcome | undefined;
    for (const taint of c.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      const check = checkTaint(taint, tolerations, ctx.nowMs);
      if (check.tolerated) continue;
      const expired = check.expiredAtMs !== undefined;
      const reason = expired ? Reason.TolerationExpired : Reason.UntoleratedTaint;
      const message = expired
        ? `toleration of taint {${taintString(taint)}} expired at ${new Date(check.expiredAtMs!).toISOString()}`
        : `untolerated taint {${taintString(taint)}}`;
      if (taint.effect === 'NoExecute') return fail(reason, message);
      soft ??= failNew(c, reason, message);
      if (!soft.passed) return soft;
    }
    return soft ?? PASS;
  },
};
