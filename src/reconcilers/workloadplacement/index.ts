/** The workloadplacement reconciler: controller, reconcile logic and their options. See README.md. */
export { WorkloadPlacementController, CONTROLLER_NAME, type WorkloadPlacementControllerOptions } from './workloadplacement-controller.js';
export { reconcilePlacement, releasePlacement } from './workloadplacement-reconcile.js';
export { DEFAULT_WORKLOAD_RESOURCES, type WorkloadResource } from './workload-resources.js';
export { defaultCelCompiler } from './cel-compiler.js';
export { PLACEMENT_NAME_LABEL } from '../../apis/contract.js';
export { ROLLBACK_OF_ANNOTATION, Trigger, FAILOVER_REASONS } from './history.js';
export type { ReconcileDeps, ReconcileOutput, PlacementRef, WorkloadObject } from './types.js';
