/**
 * spec.rules[]: CEL that must hold for a cluster, given `cluster` and `workload`. The first rule
 * that does not hold fails the cluster, and its `message` is what users read.
 */
import { Reason } from '../reasons.js';
import { memoized } from '../snapshot.js';
import { fail, type FilterPlugin, PASS } from './types.js';

export const rulesFilter: FilterPlugin = {
  name: 'Rules',
  enabled: (ctx) => (ctx.spec.rules?.length ?? 0) > 0,
  filter(c, ctx) {
    let vars: Record<string, unknown> | undefined;
    const rules = ctx.spec.rules!;
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k];
      const evaluate = () => ctx.cel.evaluate(rule.expression, (vars ??= { cluster: c.obj, workload: ctx.workload.obj }));
      const slot = ctx.ruleSlots[k];
      const r = slot === undefined ? evaluate() : memoized(c.facts, slot, evaluate);
      if (typeof r !== 'boolean') return fail(Reason.CELError, `rule ${rule.expression}: ${r.error}`);
      if (!r) return fail(Reason.RuleFailed, rule.message || `rule failed: ${rule.expression}`);
    }
    return PASS;
  },
};
