/**
 * Which built-in resources each server mode serves. Server mode (kcp workspaces) serves what kcp
 * builds into every workspace plus the kcp types; workload types arrive through the compute
 * APIExport binding, as in kcp. Cluster mode (a simulated physical cluster) serves what a plain
 * Kubernetes cluster serves to the syncer.
 */
import { clusterDefs, coreDefs, kcpDefs, workloadDefs } from './builtin/index.js';
import type { ResourceDef } from './types.js';

export function serverModeDefs(): ResourceDef[] {
  return [...coreDefs(), ...kcpDefs()];
}

export function clusterModeDefs(): ResourceDef[] {
  return [...coreDefs(), ...workloadDefs(), ...clusterDefs()];
}
