/**
 * Which logical clusters exist. `root` always does; every `Workspace` named `n` stored in cluster
 * `c` creates `c:n`. Kept in memory from the server's shared Workspace informer, so checking a
 * request's cluster costs a Map lookup.
 */
import { clusterOf } from '../apis/contract.js';
import { StatusError } from '../errors/status.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

export const WORKSPACE_RESOURCE = 'tenancy.kcp.io/workspaces';
export const ROOT_CLUSTER = 'root';

export class LogicalClusters {
  private readonly clusters = new Map<string, KubeObject | undefined>([[ROOT_CLUSTER, undefined]]);
  private unregister?: () => void;
  private readonly deletedListeners: Array<(cluster: string) => void> = [];
  private readonly addedListeners: Array<(cluster: string) => void> = [];

  constructor(private readonly informers: StoreInformers) {}

  async start(): Promise<void> {
    const informer = this.informers.informer(WORKSPACE_RESOURCE);
    const put = (ws: KubeObject) => {
      const child = childCluster(ws);
      const isNew = !this.clusters.has(child);
      this.clusters.set(child, ws);
      if (isNew) for (const fn of this.addedListeners) fn(child);
    };
    this.unregister = informer.addEventHandler({
      onAdd: put,
      onUpdate: (_old, ws) => put(ws),
      onDelete: (ws) => {
        const child = childCluster(ws);
        this.clusters.delete(child);
        for (const fn of this.deletedListeners) fn(child);
      },
    });
    await informer.waitForSync();
  }

  stop(): void { this.unregister?.(); }

  exists(cluster: string): boolean {
    return this.clusters.has(cluster);
  }

  /** Throws a NotFound Status that says how to fix it. */
  check(cluster: string): void {
    if (this.clusters.has(cluster)) return;
    const parent = cluster.includes(':') ? cluster.slice(0, cluster.lastIndexOf(':')) : '';
    const name = cluster.slice(cluster.lastIndexOf(':') + 1);
    throw new StatusError(404, 'NotFound',
      `workspace "${cluster}" not found${parent ? `: create it with a Workspace named "${name}" in "${parent}"` : ''}`,
      { name: cluster, group: 'tenancy.kcp.io', kind: 'workspaces' });
  }

  all(): string[] { return [...this.clusters.keys()]; }

  /** The Workspace object that created a logical cluster (undefined for root). */
  workspace(cluster: string): KubeObject | undefined { return this.clusters.get(cluster); }

  onDeleted(fn: (cluster: string) => void): void { this.deletedListeners.push(fn); }

  onAdded(fn: (cluster: string) => void): void { this.addedListeners.push(fn); }
}

function childCluster(ws: KubeObject): string {
  const parent = clusterOf(ws, ROOT_CLUSTER);
  return `${parent}:${ws.metadata.name}`;
}
