/**
 * With spreadConstraints, a cluster must carry every constraint's topology label: a cluster
 * without a region cannot be counted in a region spread (Karmada's SpreadConstraint filter).
 */
import { Reason } from '../reasons.js';
import { fail, type FilterPlugin, PASS } from './types.js';

export const topologyFilter: FilterPlugin = {
  name: 'SpreadConstraint',
  enabled: (ctx) => (ctx.spec.spreadConstraints?.length ?? 0) > 0,
  filter(c, ctx) {
    for (const sc of ctx.spec.spreadConstraints!) {
      if (c.labels[sc.topologyKey] === undefined) return fail(Reason.MissingTopologyLabel, `missing label ${sc.topologyKey}`);
    }
    return PASS;
  },
};
