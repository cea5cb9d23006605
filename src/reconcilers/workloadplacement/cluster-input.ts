/**
 * ClusterRegistrations as the API stores them → the engine's input shape. The two differ in one
 * place: the API lists `status.syncedResources` as objects ({group, resource, state}) while the
 * engine matches `<resource>.<group>` strings. A resource the syncer found Incompatible is left
 * out, so the engine's APICompatibility filter rejects the cluster for it.
 *
 * The cluster key comes from status.clusterKey; until the clusterregistration controller has
 * written it, it is derived with the same function (contract.clusterKey), so a placement never
 * waits on it.
 */
import { clusterKey } from '../../apis/contract.js';
import { ClusterSnapshot, type ClusterRegistration as EngineCluster } from '../../placement/index.js';
import type { ClusterRegistration } from '../../apis/tmc/index.js';

export function engineCluster(c: ClusterRegistration, workspace: string): EngineCluster {
  const status = c.status ?? {};
  const synced = status.syncedResources?.filter((r) => r.state !== 'Incompatible')
    .map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource));
  return {
    metadata: { name: c.metadata.name as string, labels: c.metadata.labels, annotations: c.metadata.annotations, uid: c.metadata.uid },
    spec: c.spec as EngineCluster['spec'],
    status: {
      conditions: status.conditions,
      capacity: status.capacity,
      allocatable: status.allocatable,
      allocated: status.allocated,
      syncedResources: synced,
      clusterKey: keyOf(c, workspace),
    },
  };
}

/**
 * The engine's view of the informer's clusters, shared by every reconcile: the converted object
 * per informer object (so the engine's ClusterSnapshot, keyed by object identity, recognises an
 * unchanged cluster) and the snapshot itself. Valid because informer objects are never mutated:
 * an update replaces the object, and the replacement is converted and analysed afresh.
 */
export class SharedClusters {
  readonly snapshot = new ClusterSnapshot();
  private readonly converted = new WeakMap<ClusterRegistration, { workspace: string; engine: EngineCluster }>();
  private readonly lists = new WeakMap<readonly ClusterRegistration[], { workspace: string; view: FleetInput }>();

  /**
   * The engine's input, the keys and the by-name map of one cluster list, built once per list:
   * the controller hands every reconcile the same array while no ClusterRegistration of the
   * workspace changed (so the list must not be mutated).
   */
  fleet(clusters: readonly ClusterRegistration[], workspace: string): FleetInput {
    const hit = this.lists.get(clusters);
    if (hit && hit.workspace === workspace) return hit.view;
    const view = fleetInput(clusters, workspace, (c) => this.engineCluster(c, workspace));
    this.lists.set(clusters, { workspace, view });
    return view;
  }

  engineCluster(c: ClusterRegistration, workspace: string): EngineCluster {
    const hit = this.converted.get(c);
    if (hit && hit.workspace === workspace) return hit.engine;
    const engine = engineCluster(c, workspace);
    this.converted.set(c, { workspace, engine });
    return engine;
  }
}

/** A cluster list as a reconcile uses it. */
export interface FleetInput {
  engine: EngineCluster[];
  keys: ClusterKeys;
  byName: Map<string, ClusterRegistration>;
}

export function fleetInput(clusters: readonly ClusterRegistration[], workspace: string, convert = (c: ClusterRegistration) => engineCluster(c, workspace)): FleetInput {
  return {
    engine: clusters.map(convert),
    keys: new ClusterKeys(clusters, workspace),
    byName: new Map(clusters.map((c) => [c.metadata.name as string, c] as const)),
  };
}

export function keyOf(c: ClusterRegistration, workspace: string): string {
  return c.status?.clusterKey || clusterKey(workspace, c.metadata.name as string);
}

/** Both directions between cluster names and keys, for one location workspace. */
export class ClusterKeys {
  private readonly byName = new Map<string, string>();
  private readonly byKey = new Map<string, string>();

  constructor(clusters: readonly ClusterRegistration[], workspace: string) {
    for (const c of clusters) {
      const key = keyOf(c, workspace);
      this.byName.set(c.metadata.name as string, key);
      this.byKey.set(key, c.metadata.name as string);
    }
  }

  key(name: string): string | undefined {
    return this.byName.get(name);
  }

  name(key: string): string | undefined {
    return this.byKey.get(key);
  }
}
