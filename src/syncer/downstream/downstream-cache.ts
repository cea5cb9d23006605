/**
 * The syncer's view of the physical cluster: one informer per resource plus one for namespaces,
 * all filtered by `tmc.kcp.io/cluster-key=<key>`, so only objects this syncer owns are cached.
 * Every change is reported, which is how drift (a hand scale) and status (the cluster's
 * controllers) reach the reconciler.
 */
import { NAMESPACES } from '../../apis/gvr.js';
import { CLUSTER_KEY_LABEL } from '../../apis/contract.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import type { Logger } from '../../observability/logger.js';
import { resourceId, type SyncedResource } from '../resources.js';

export { NAMESPACES };

export interface DownstreamHandlers {
  onObject(resource: SyncedResource, obj: KubeObject, deleted: boolean): void;
  onNamespace(ns: KubeObject, deleted: boolean): void;
}

export class DownstreamCache {
  private readonly informers = new Map<string, Informer>();
  private namespaces: Informer | undefined;

  constructor(
    private readonly client: KubeClient, private readonly clusterKey: string,
    private readonly resources: readonly SyncedResource[], private readonly logger?: Logger,
  ) {}

  async start(handlers: DownstreamHandlers): Promise<void> {
    const labelSelector = `${CLUSTER_KEY_LABEL}=${this.clusterKey}`;
    const backoff = { initialMs: 200, maxMs: 10_000 };
    for (const resource of this.resources) {
      const inf = new Informer({ source: this.client, gvr: resource.gvr, labelSelector, logger: this.logger, backoff });
      inf.addEventHandler({
        onAdd: (o) => handlers.onObject(resource, o, false),
        onUpdate: (_old, o) => handlers.onObject(resource, o, false),
        onDelete: (o) => handlers.onObject(resource, o, true),
      });
      this.informers.set(resourceId(resource), inf);
    }
    this.namespaces = new Informer({ source: this.client, gvr: NAMESPACES, labelSelector, logger: this.logger, backoff });
    this.namespaces.addEventHandler({
      onAdd: (o) => handlers.onNamespace(o, false),
      onUpdate: (_old, o) => handlers.onNamespace(o, false),
      onDelete: (o) => handlers.onNamespace(o, true),
    });
    const all = [...this.informers.values(), this.namespaces];
    for (const inf of all) inf.start();
    await Promise.all(all.map((i) => i.waitForSync()));
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
    this.namespaces?.stop();
  }

  get(resource: SyncedResource, namespace: string, name: string): KubeObject | undefined {
    return this.informers.get(resourceId(resource))?.get('', namespace, name);
  }

  /** Cached objects of a resource, optionally in one namespace. */
  list(resource: SyncedResource, namespace?: string): KubeObject[] {
    const all = this.informers.get(resourceId(resource))?.list() ?? [];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  namespace(name: string): KubeObject | undefined {
    return this.namespaces?.get('', undefined, name);
  }

  listNamespaces(): KubeObject[] {
    return this.namespaces?.list() ?? [];
  }
}
