/**
 * The workspaces an APIExport virtual workspace shows, for a controller that holds only the VW's
 * permissions (tmc-controller): it can list neither APIBindings nor the workspace tree, so the set
 * is read off the objects themselves — the distinct `kcp.io/cluster` of what the view shows at
 * `<vw>/clusters/*`. Each name is then reachable as `<vw>/clusters/<name>`, as kcp controllers
 * address a workspace through the VW.
 *
 * Two sources, because a workspace enters the view when it binds, which is not an event on its
 * objects: wildcard informers over the export's own resources (WorkloadPlacements,
 * ClusterRegistrations: created after the binding, so their events say at once that a workspace
 * has something to place or a cluster to sync), and a periodic wildcard LIST of namespaces (a list
 * is filtered when it is made, so it finds workspaces bound after their namespaces existed).
 */
import { NAMESPACES } from '../../apis/gvr.js';
import { clusterOf } from '../../apis/contract.js';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../apis/tmc/gvr.js';
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

export interface ViewWorkspacesOptions {
  /** How often the namespaces of the whole view are listed. @default 5000 */
  pollMs?: number;
  logger?: Logger;
}

export class ViewWorkspaces implements WorkspaceProvider {
  private readonly informers: Informer[];
  private listed = new Set<string>();
  private list: string[] = [];
  private readonly subscribers = new Set<(ws: string[]) => void>();
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `viewClient`: a client at the VW root (`…/services/apiexport/<cluster>/<export>`). */
  constructor(private readonly viewClient: KubeClient, private readonly opts: ViewWorkspacesOptions = {}) {
    this.informers = [WORKLOAD_PLACEMENTS, CLUSTER_REGISTRATIONS].map((gvr) => new Informer({
      source: viewClient.forCluster('*'), gvr, logger: opts.logger, transform: clusterOnly, backoff: { initialMs: 200, maxMs: 10_000 },
    }));
    // Coalesced: the first list of many objects is as many add events; one recompute is enough.
    const changed = (): void => {
      if (this.pending) return;
      this.pending = true;
      queueMicrotask(() => { this.pending = false; this.recompute(); });
    };
    for (const inf of this.informers) inf.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  /**
   * Does not wait for the first lists: until a consumer binds, the view may serve nothing, and the
   * controller must run meanwhile. Subscribers hear of the workspaces as they are found.
   */
  start(): void {
    for (const inf of this.informers) inf.start();
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const inf of this.informers) inf.stop();
  }

  current(): string[] {
    return this.list;
  }

  onChange(cb: (workspaces: string[]) => void): () => void {
    this.subscribers.add(cb);
    return () => this.subscribers.delete(cb);
  }

  private async poll(): Promise<void> {
    try {
      const namespaces = await this.viewClient.forCluster('*').listAll(NAMESPACES);
      this.listed = new Set(namespaces.items.map((o) => clusterOf(o)).filter(Boolean));
      this.recompute();
    } catch (err) {
      // not served yet (no workspace accepted the namespaces claim) or a blip: keep the last set
      this.opts.logger?.debug({ err: err instanceof Error ? err.message : String(err) }, 'listing the view\'s namespaces failed');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.opts.pollMs ?? 5000);
    this.timer.unref?.();
  }

  private recompute(): void {
    const found = new Set(this.listed);
    for (const inf of this.informers) for (const o of inf.list()) { const c = clusterOf(o); if (c) found.add(c); }
    const next = [...found].sort();
    if (next.join('\n') === this.list.join('\n')) return;
    this.list = next;
    for (const cb of this.subscribers) cb(next);
  }
}
