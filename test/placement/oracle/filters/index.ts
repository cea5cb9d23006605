/** The filters, in the order they run; each cluster gets every enabled filter's verdict. */
import { apiCompatibilityFilter } from './api-compatibility.js';
import { capacityFilter } from './capacity.js';
import { clusterSelectorFilter } from './cluster-selector.js';
import { evictionFilter, readyFilter, unschedulableFilter } from './health.js';
import { rulesFilter } from './rules.js';
import { taintTolerationFilter } from './taint-toleration.js';
import { topologyFilter } from './topology.js';
import type { FilterPlugin } from './types.js';

export const FILTERS: readonly FilterPlugin[] = [
  clusterSelectorFilter,
  readyFilter,
  unschedulableFilter,
  evictionFilter,
  taintTolerationFilter,
  apiCompatibilityFilter,
  topologyFilter,
  rulesFilter,
  capacityFilter,
];

export type { FilterContext, FilterOutcome, FilterPlugin } from './types.js';
export { DEFAULT_FAILOVER_TOLERATION_SECONDS } from './health.js';
