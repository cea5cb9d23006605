/**
 * The placement engine: pure scheduling of one workload under one WorkloadPlacement onto
 * registered clusters. See README.md and docs/placement-engine.md.
 */
export { schedule } from './schedule.js';
export { ClusterSnapshot } from './snapshot.js';
export { Reason, type ReasonCode } from './reasons.js';
export { webster } from './apportion.js';
export { ALIASES as PRIORITIZER_ALIASES, DEFAULT_WEIGHTS as DEFAULT_PRIORITIZER_WEIGHTS } from './scorers/index.js';
export { DEFAULT_FAILOVER_TOLERATION_SECONDS } from './filters/index.js';
export type * from './types.js';
export type * from './schedule-input.js';
