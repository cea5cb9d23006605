/**
 * Cluster health and lifecycle: Ready, cordon (spec.unschedulable) and drain (spec.evictAfter).
 *
 * - NotReady: no new placements. A cluster already holding the workload keeps it for
 *   failover.tolerationSeconds (default 300 s, like Kubernetes' not-ready toleration) counted
 *   from the Ready condition's lastTransitionTime; after that it is vacated. Without a transition
 *   time the grace is assumed to have just started: never evict on missing data.
 * - Cordoned: no new placements; existing ones stay.
 * - evictAfter in the future: draining, no new placements; in the past: everything leaves.
 */
import { Reason } from '../reasons.js';
import { parseTime } from '../time.js';
import { fail, failNew, type FilterPlugin, PASS } from './types.js';

export const DEFAULT_FAILOVER_TOLERATION_SECONDS = 300;

export const readyFilter: FilterPlugin = {
  name: 'Ready',
  enabled: () => true,
  filter(c, ctx) {
    if (c.ready) return PASS;
    if (!c.isPrevious) return fail(Reason.NotReady, 'Ready condition is not True');
    const grace = (ctx.spec.failover?.tolerationSeconds ?? DEFAULT_FAILOVER_TOLERATION_SECONDS) * 1000;
    const since = parseTime(c.readyTransition) ?? ctx.nowMs;
    if (ctx.nowMs - since < grace) {
      const left = Math.ceil((since + grace - ctx.nowMs) / 1000);
      return { passed: true, retained: true, reason: Reason.NotReadyWithinToleration, message: `not Ready; kept for ${left}s more (failover.tolerationSeconds)` };
    }
    return fail(Reason.NotReady, `not Ready for ${Math.floor((ctx.nowMs - since) / 1000)}s, past failover.tolerationSeconds`);
  },
};

export const unschedulableFilter: FilterPlugin = {
  name: 'Unschedulable',
  enabled: () => true,
  filter: (c) => (c.unschedulable ? failNew(c, Reason.Cordoned, 'cluster is cordoned (spec.unschedulable)') : PASS),
};

export const evictionFilter: FilterPlugin = {
  name: 'Eviction',
  enabled: () => true,
  filter(c, ctx) {
    if (c.evictAfterMs === undefined) return PASS;
    if (c.evictAfterMs <= ctx.nowMs) return fail(Reason.Evicting, `cluster is drained (evictAfter ${new Date(c.evictAfterMs).toISOString()})`);
    return failNew(c, Reason.Draining, `cluster drains at ${new Date(c.evictAfterMs).toISOString()}`);
  },
};
