/** spec.clusterSelector: clusterNames, labelSelector, locations and the CEL `expression`. */
import { type FilterPlugin, PASS } from './types.js';

export const clusterSelectorFilter: FilterPlugin = {
  name: 'ClusterSelector',
  enabled: (ctx) => ctx.selector !== undefined,
  filter(c, ctx) {
    const m = ctx.selector!.match(c);
    return m.matched ? PASS : m;
  },
};

