/**
 * An in-memory copy of one resource across every logical cluster, fed by a store list + watch,
 * so admission reads policies, bindings and placements without a storage round trip per write.
 * Keyed by the storage key's cluster (the same workspace `kcp.io/cluster` names). If the watch
 * ends (store closing, fell behind), it relists; reads before the first list wait for it.
 */
import type { Logger } from '../observability/logger.js';
import type { KubeObject, Store, Watcher } from '../storage/types.js';

export class WatchCache {
  private readonly byCluster = new Map<string, Map<string, KubeObject>>();
  private watcher?: Watcher;
  private stopped = false;
  private synced?: Promise<void>;
  /** Bumped on every change, so consumers can memoise derived views. */
  version = 0;

  private readonly log?: Logger;
  /** Cluster of objects without a `kcp.io/cluster` annotation (physical-cluster mode). */
  private readonly defaultCluster: string;

  constructor(private readonly store: Store, readonly resource: string, opts: { log?: Logger; defaultCluster?: string } = {}) {
    this.log = opts.log;
    this.defaultCluster = opts.defaultCluster ?? 'cluster';
  }

  /** Starts (once) and resolves when the initial list is in. */
  ready(): Promise<void> {
    this.synced ??= this.sync();
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  /** Objects of one cluster (optionally one namespace), in name order. */
  list(cluster: string, namespace?: string): KubeObject[] {
    const m = this.byCluster.get(cluster);
    if (!m) return [];
    const out: KubeObject[] = [];
    for (const o of m.values()) if (namespace === undefined || (o.metadata.namespace ?? '') === namespace) out.push(o);
    return out.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  get(cluster: string, namespace: string, name: string): KubeObject | undefined {
    return this.byCluster.get(cluster)?.get(`${namespace}/${name}`);
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const res = await this.store.list({ cluster: '*', resource: this.resource });
    this.byCluster.clear();
    for (const o of res.items) this.put(o.metadata.annotations?.['kcp.io/cluster'] ?? this.defaultCluster, o);
    this.version++;
    try {
      this.watcher = this.store.watch({ cluster: '*', resource: this.resource }, { resourceVersion: res.resourceVersion }, {
        onEvent: (ev) => {
          if (ev.type === 'DELETED') this.byCluster.get(ev.key.cluster)?.delete(`${ev.key.namespace}/${ev.key.name}`);
          else this.put(ev.key.cluster, ev.object);
          this.version++;
        },
        onClose: (reason) => {
          if (this.stopped || !reason) return;
          this.log?.warn({ resource: this.resource, err: reason }, 'admission cache watch closed; relisting');
          setTimeout(() => { this.synced = this.sync().catch(() => undefined); }, 100).unref();
        },
      });
    } catch (e) {
      // 410 between list and watch: relist
      if (!this.stopped) await this.sync();
      else throw e;
    }
  }

  private put(cluster: string, o: KubeObject): void {
    let m = this.byCluster.get(cluster);
    if (!m) this.byCluster.set(cluster, (m = new Map()));
    m.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  }
}
