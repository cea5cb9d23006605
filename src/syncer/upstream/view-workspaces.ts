/**
 * The workspaces an APIExport virtual workspace shows, for a controller that holds only the VW's
 * permissions (tmc-controller): it can list neither APIBindings nor the workspace tree, so the set
 * is read off the objects themselves — the distinct `kcp.io/cluster` of one wildcard informer
 * (`<vw>/clusters/*`) over a resource every bound workspace has (namespaces, through the
 * export's accepted claim). Each name is then reachable as `<vw>/clusters/<name>`, as kcp
 * controllers address a workspace through the VW.
 */
import { NAMESPACES } from '../../apis/gvr.js';
import { clusterOf } from '../../apis/contract.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { GroupVersionResource } from '../../client/resource-path.js';
import type { KubeObject } from '../../client/types.js';
import type { Logger } from '../../observability/logger.js';
import type { WorkspaceProvider } from './workspaces.js';


/** Only the logical cluster matters here: the cache keeps nothing else of each object. */
function clusterOnly(obj: KubeObject): KubeObject {
  const cluster = clusterOf(obj);
  return {
    apiVersion: obj.apiVersion, kind: obj.kind,
    metadata: {
      name: obj.metadata?.name, namespace: obj.metadata?.namespace, uid: obj.metadata?.uid,
      resourceVersion: obj.metadata?.resourceVersion, annotations: cluster ? { 'kcp.io/cluster': cluster } : undefined,
    },
  } as KubeObject;
}

export class ViewWorkspaces implements WorkspaceProvider {
  private readonly informer: Informer;
  private list: string[] = [];
  private readonly subscribers = new Set<(ws: string[]) => void>();
  private pending = false;

  /** `viewClient`: a client at the VW root (`…/services/apiexport/<cluster>/<export>`). */
  constructor(viewClient: KubeClient, opts: { gvr?: GroupVersionResource; logger?: Logger } = {}) {
    this.informer = new Informer({
      source: viewClient.forCluster('*'), gvr: opts.gvr ?? NAMESPACES, logger: opts.logger,
      transform: clusterOnly, backoff: { initialMs: 200, maxMs: 10_000 },
    });
    // Coalesced: the first list of many namespaces is as many add events; one recompute is enough.
    const changed = (): void => {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(() => { this.pending = false; this.recompute(); });
    };
    this.informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  async start(): Promise<void> {
    this.informer.start();
    await this.informer.waitForSync();
    this.recompute();
  }

  stop(): void {
    this.informer.stop();
  }

  current(): string[] {
    return this.list;
  }

  onChange(cb: (workspaces: string[]) => void): () => void {
    this.subscribers.add(cb);
    return () => this.subscribers.delete(cb);
  }

  private recompute(): void {
    const next = [...new Set(this.informer.list().map((o) => clusterOf(o)).filter(Boolean))].sort();
    if (next.join('\n') === this.list.join('\n')) return;
    this.list = next;
    for (const cb of this.subscribers) cb(next);
  }
}
