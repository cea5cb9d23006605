/** Placement at admission. */
export { PlacementPlugin, PLACEMENTS_RESOURCE, applyDecisions, type PlacementSource } from './plugin.js';
export { choosePlacement, selects, isWorkloadKind, WORKLOAD_KINDS } from './select.js';
