/**
 * Stable reason strings. Decisions are stored (PlacementDecision) and read by tools and tests, so
 * these are part of the contract: add new ones, never rename.
 */
export const Reason = {
  // filters
  ClusterNotSelected: 'ClusterNotSelected',
  RuleFailed: 'RuleFailed',
  CELError: 'CELError',
  NotReady: 'NotReady',
  NotReadyWithinToleration: 'NotReadyWithinToleration',
  Cordoned: 'Cordoned',
  Draining: 'Draining',
  Evicting: 'Evicting',
  UntoleratedTaint: 'UntoleratedTaint',
  TolerationExpired: 'TolerationExpired',
  APINotSynced: 'APINotSynced',
  InsufficientCPU: 'InsufficientCPU',
  InsufficientMemory: 'InsufficientMemory',
  InsufficientPods: 'InsufficientPods',
  MissingTopologyLabel: 'MissingTopologyLabel',
  // decision level
  Selected: 'Selected',
  Retained: 'Retained',
  NoClusters: 'NoClusters',
  NoFeasibleClusters: 'NoFeasibleClusters',
  NotEnoughClusters: 'NotEnoughClusters',
  SpreadConstraintUnsatisfiable: 'SpreadConstraintUnsatisfiable',
  InsufficientCapacity: 'InsufficientCapacity',
  WorkloadNotSelected: 'WorkloadNotSelected',
  // evictions
  ClusterNotFound: 'ClusterNotFound',
  NotSelected: 'NotSelected',
  NoReplicasAssigned: 'NoReplicasAssigned',
} as const;

export type ReasonCode = (typeof Reason)[keyof typeof Reason];
