/**
 * An in-memory view of one resource across every logical cluster for admission: the server's
 * shared store informer of that resource (storage/informers.ts, with its recovery rules), indexed
 * by cluster, so admission reads policies, bindings and placements without a storage round trip
 * per write. Reads before the first list wait for it (`ready`).
 */
import type { Informer } from '../informer/informer.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

const BY_CLUSTER = 'cluster';

export class WatchCache {
  private readonly informer: Informer<KubeObject>;
  private synced?: Promise<void>;
  private unregister?: () => void;
  /** Bumped on every change, so consumers can memoise derived views. */
  version = 0;

  constructor(private readonly informers: StoreInformers, readonly resource: string) {
    this.informer = informers.informer(resource);
    this.informer.addIndex(BY_CLUSTER, (o) => [informers.clusterOf(o)]);
  }

  /** Resolves when the initial list is in. */
  ready(): Promise<void> {
    this.synced ??= (async () => {
      const bump = () => { this.version++; };
      this.unregister = this.informer.addEventHandler({ onAdd: bump, onUpdate: bump, onDelete: bump });
      if (!(await this.informer.waitForSync())) throw new Error(`admission cache of ${this.resource} stopped before its first list`);
      this.version++;
    })();
    return this.synced;
  }

  stop(): void {
    this.unregister?.();
  }

  /** Objects of one cluster (optionally one namespace), in name order. */
  list(cluster: string, namespace?: string): KubeObject[] {
    return this.informer.byIndex(BY_CLUSTER, cluster)
      .filter((o) => namespace === undefined || (o.metadata.namespace ?? '') === namespace)
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  get(cluster: string, namespace: string, name: string): KubeObject | undefined {
    return this.informer.get(cluster, namespace, name);
  }
}
