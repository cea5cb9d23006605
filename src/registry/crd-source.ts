/**
 * Serves CRDs: keeps, per logical cluster, the ResourceDefs of every Established CRD stored there,
 * fed by the server's shared CRD informer. Its handlers run synchronously within the write, so a
 * CR can be created right after its CRD's create returns.
 */
import type { Logger } from '../observability/logger.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject, Store } from '../storage/types.js';
import type { DefSource } from './catalog.js';
import { resourceDefsFromCRD } from './crd/index.js';
import type { ResourceDef } from './types.js';

export const CRD_RESOURCE = 'apiextensions.k8s.io/customresourcedefinitions';

export class CrdSource implements DefSource {
  private readonly byCluster = new Map<string, Map<string, ResourceDef[]>>();
  private gen = 0;
  private unregister?: () => void;

  constructor(private readonly store: Store, private readonly informers: StoreInformers, private readonly log: Logger) {}

  async start(): Promise<void> {
    const informer = this.informers.informer(CRD_RESOURCE);
    const cluster = (o: KubeObject) => this.informers.clusterOf(o);
    this.unregister = informer.addEventHandler({
      onAdd: (crd) => this.put(cluster(crd), crd),
      onUpdate: (_old, crd) => this.put(cluster(crd), crd),
      onDelete: (crd) => {
        this.remove(cluster(crd), crd.metadata.name!);
        void this.purge(cluster(crd), crd);
      },
    });
    await informer.waitForSync();
  }

  stop(): void { this.unregister?.(); }

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
