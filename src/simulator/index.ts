/** The simulated physical cluster (`tmc-server --mode cluster`): what the wiring imports. */
export { simulatorComponent } from './component.js';
export { simulatorAdmission, refuseWritesHook, RefuseWrites, refusedMessage } from './admission.js';
export { StatusSimulator } from './status-simulator.js';
export { ensureNodes, nodeObject, nodeStatus, KUBELET_VERSION, ZONES, REGION } from './nodes.js';
export { pack, podRequest, nodeView, DEFAULT_REQUEST } from './capacity.js';
export type { SimulatorDeps, SimulatorOptions, SimulatorComponent } from './types.js';
