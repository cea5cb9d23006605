/**
 * spec.rules[]: CEL that must hold for a cluster, given `cluster` and `workload`. The first rule
 * that does not hold fails the cluster, and its `message` is what users read.
 */
import { Reason } from '../reasons.js';
import { fail, type FilterPlugin, PASS } from './types.js';

export const rulesFilter: FilterPlugin = {
  name: 'Rules',
  enabled: (ctx) => (ctx.spec.rules?.length ?? 0) > 0,
  filter(c, ctx) {
    const vars = { cluster: c.obj, workload: ctx.workload.obj };
    for (const rule of ctx.spec.rules!) {
      const r = ctx.cel.evaluate(rule.expression, vars);
      if (typeof r !== 'boolean') return fail(Reason.CELError, `rule ${rule.expression}: ${r.error}`);
      if (!r) return fail(Reason.RuleFailed, rule.message || `rule failed: ${rule.expression}`);
    }
    return PASS;
  },
};
