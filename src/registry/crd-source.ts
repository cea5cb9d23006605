/**
 * Serves CRDs: keeps, per logical cluster, the ResourceDefs of every Established CRD stored there,
 * fed by a store watch over all clusters. Store watches deliver synchronously within the write,
 * so a CR can be created right after its CRD's create returns.
 */
import type { Logger } from '../observability/logger.js';
import type { KubeObject, Store, Watcher } from '../storage/types.js';
import type { DefSource } from './catalog.js';
import { resourceDefsFromCRD } from './crd/index.js';
import type { ResourceDef } from './types.js';

export const CRD_RESOURCE = 'apiextensions.k8s.io/customresourcedefinitions';

export class CrdSource implements DefSource {
  private readonly byCluster = new Map<string, Map<string, ResourceDef[]>>();
  private gen = 0;
  private watcher?: Watcher;

  /** @param defaultCluster the cluster of objects without a `kcp.io/cluster` annotation (cluster mode). */
  constructor(private readonly store: Store, private readonly log: Logger, private readonly defaultCluster = 'root') {}

  async start(): Promise<void> {
    const list = await this.store.list({ cluster: '*', resource: CRD_RESOURCE });
    for (const crd of list.items) this.put(crd.metadata.annotations?.['kcp.io/cluster'] ?? this.defaultCluster, crd);
    this.watcher = this.store.watch({ cluster: '*', resource: CRD_RESOURCE }, { resourceVersion: list.resourceVersion }, {
      onEvent: (ev) => {
        if (ev.type === 'DELETED') {
          this.remove(ev.key.cluster, ev.object.metadata.name!);
          void this.purge(ev.key.cluster, ev.object);
        } else {
          this.put(ev.key.cluster, ev.object);
        }
      },
      onClose: (err) => {
        if (err) this.log.error({ err }, 'CRD watch closed; restarting');
        if (err) void this.start();
      },
    });
  }

  stop(): void { this.watcher?.stop(); }

  private put(cluster: string, crd: KubeObject): void {
    let defs: ResourceDef[] = [];
    try {
      if (!crd.metadata.deletionTimestamp) defs = resourceDefsFromCRD(crd);
    } catch (err) {
      this.log.warn({ err, crd: crd.metadata.name, cluster }, 'CRD cannot be served');
    }
    let m = this.byCluster.get(cluster);
    if (!m) { m = new Map(); this.byCluster.set(cluster, m); }
    m.set(crd.metadata.name!, defs);
    this.gen++;
  }

  /**
   * A deleted CRD takes its custom resources with it (kube does this behind the
   * customresourcecleanup finalizer; here it follows the delete, since nothing can be served
   * for the resource any more in the meantime).
   */
  private async purge(cluster: string, crd: KubeObject): Promise<void> {
    const group = crd.spec?.group as string | undefined;
    const plural = crd.spec?.names?.plural as string | undefined;
    if (!group || !plural) return;
    const resource = `${group}/${plural}`;
    try {
      const { items } = await this.store.list({ cluster, resource });
      for (const item of items) {
        await this.store.delete({ cluster, resource, namespace: item.metadata.namespace ?? '', name: item.metadata.name! }).catch(() => undefined);
      }
    } catch (err) {
      this.log.error({ err, cluster, resource }, 'cannot remove the custom resources of a deleted CRD');
    }
  }

  private remove(cluster: string, name: string): void {
    this.byCluster.get(cluster)?.delete(name);
    this.gen++;
  }

  defsFor(cluster: string): ResourceDef[] {
    const m = this.byCluster.get(cluster);
    return m ? [...m.values()].flat() : [];
  }

  generation(): number { return this.gen; }
}
