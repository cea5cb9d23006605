/**
 * What the simulator needs from the server it runs in. These are structural subsets of the
 * wiring's ServerDeps/ServerOptions (cmd/ is above this layer, so we do not import it): any
 * ServerDeps is accepted where a SimulatorDeps is expected.
 */
import type { Logger } from '../observability/logger.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { StoreInformers } from '../storage/informers.js';
import type { Store } from '../storage/types.js';

/** The cluster-mode flags the simulator reads (--nodes, --node-cpu, …). */
export interface SimulatorOptions {
  nodes: number;
  nodeCpu: string;
  nodeMemory: string;
  nodePods: number;
  /** --ready-delay: how long a workload generation takes to become ready. */
  readyDelayMs: number;
  /** --refuse-writes: resources whose writes fail with 503. */
  refuseWrites: string[];
}

export interface SimulatorDeps {
  opts: SimulatorOptions;
  store: Store;
  /** The server's shared store informers (one per resource). */
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
}

/** Same shape as the wiring's Component: something running that can be stopped. */
export interface SimulatorComponent { stop(): void | Promise<void> }

/** The only logical cluster a cluster-mode server has. */
export const CLUSTER = 'cluster';

/**
 * The identity the simulator writes as (like the kubelet and kube-controller-manager on a real
 * cluster). --refuse-writes does not apply to it: the cluster's own machinery keeps working.
 */
export const SIMULATOR_USER = { name: 'system:tmc-simulator', groups: ['system:masters', 'system:authenticated'] };
