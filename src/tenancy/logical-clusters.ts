/**
 * Which logical clusters exist. `root` always does; every `Workspace` named `n` stored in cluster
 * `c` creates `c:n`. Kept in memory from a store watch over all clusters, so checking a request's
 * cluster costs a Set lookup.
 */
import { StatusError } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import type { KubeObject, Store, Watcher } from '../storage/types.js';

export const WORKSPACE_RESOURCE = 'tenancy.kcp.io/workspaces';
export const ROOT_CLUSTER = 'root';

export class LogicalClusters {
  private readonly clusters = new Map<string, KubeObject | undefined>([[ROOT_CLUSTER, undefined]]);
  private watcher?: Watcher;
  private readonly deletedListeners: Array<(cluster: string) => void> = [];
  private readonly addedListeners: Array<(cluster: string) => void> = [];

  constructor(private readonly store: Store, private readonly log: Logger) {}

  async start(): Promise<void> {
    const list = await this.store.list({ cluster: '*', resource: WORKSPACE_RESOURCE });
    for (const ws of list.items) this.clusters.set(childCluster(ws), ws);
    this.watcher = this.store.watch({ cluster: '*', resource: WORKSPACE_RESOURCE }, { resourceVersion: list.resourceVersion }, {
      onEvent: (ev) => {
        const child = `${ev.key.cluster}:${ev.key.name}`;
        if (ev.type === 'DELETED') {
          this.clusters.delete(child);
          for (const fn of this.deletedListeners) fn(child);
        } else {
          const isNew = !this.clusters.has(child);
          this.clusters.set(child, ev.object);
          if (isNew) for (const fn of this.addedListeners) fn(child);
        }
      },
      onClose: (err) => {
        if (err) {
          this.log.error({ err }, 'workspace watch closed; restarting');
          void this.start();
        }
      },
    });
  }

  stop(): void { this.watcher?.stop(); }

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
  const parent = ws.metadata.annotations?.['kcp.io/cluster'] ?? ROOT_CLUSTER;
  return `${parent}:${ws.metadata.name}`;
}
