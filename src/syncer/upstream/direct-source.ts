/**
 * The direct upstream source: for every workspace and resource, an informer on the TMC server
 * filtered by `state.tmc.kcp.io/<key>=Sync`; writes are JSON merge patches on the objects
 * themselves (the per-cluster status is the `status.tmc.kcp.io/<key>` annotation).
 *
 * With `shared` (the in-process SyncerManager), the informers are the process's shared unfiltered
 * ones and the label filter is applied here, with the same meaning as the server's: an object
 * that gains the label is an add, one that loses it a delete, and reads see only labelled objects.
 * With `reports`, status reports of objects in the view go to the process's ReportBatcher
 * (status/report-batcher.ts), which writes each object's reports of all clusters together.
 */
import { PLACEMENT_ANNOTATION, stateLabel, statusAnnotation } from '../../apis/contract.js';
import { WORKLOAD_PLACEMENTS } from '../../apis/tmc/gvr.js';
import { isNotFound } from '../../errors/status.js';
import { Informer } from '../../client/informer.js';
import { ownInformer, type InformerLease, type SharedUpstreamInformers } from './shared-informers.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import type { Logger } from '../../observability/logger.js';
import type { ReportedStatus } from '../aggregate/types.js';
import { isUrgentReport, type ReportBatcher } from '../status/report-batcher.js';
import type { UpstreamRef } from '../keys.js';
import { resourceId, type SyncedResource } from '../resources.js';
import type { ChangeHandler, ConflictResolution, JsonPatchOp, UpstreamSource } from './source.js';
import type { WorkspaceProvider } from './workspaces.js';
import { stringifyJSON } from '../../machinery/json-text.js';

export interface DirectSourceOptions {
  /** A client for the server root (no /clusters prefix); `forCluster(ws)` is taken per workspace. */
  rootClient: KubeClient;
  clusterKey: string;
  resources: readonly SyncedResource[];
  workspaces: WorkspaceProvider;
  logger?: Logger;
  /** Share informers with the other syncers of this process (see the header). */
  shared?: SharedUpstreamInformers;
  /** Hand status reports to this batcher (one write per object for all clusters) instead of writing each. */
  reports?: ReportBatcher;
}

export class DirectSource implements UpstreamSource {
  readonly mode = 'direct' as const;
  /** `<workspace>#<resource id>` → informer lease and our handler's removal */
  private readonly informers = new Map<string, { lease: InformerLease; detach: () => void }>();
  private readonly handlers: ChangeHandler[] = [];
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  /** Our state label, read on every upstream event when informers are shared. */
  private readonly label: string;

  constructor(private readonly opts: DirectSourceOptions) {
    this.label = stateLabel(opts.clusterKey);
  }

  async start(): Promise<void> {
    this.unsubscribe = this.opts.workspaces.onChange((ws) => { void this.sync(ws); });
    await this.sync(this.opts.workspaces.current());
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const { lease, detach } of this.informers.values()) { detach(); lease.release(); }
    this.informers.clear();
  }

  onChange(handler: ChangeHandler): void {
    this.handlers.push(handler);
  }

  get(ref: UpstreamRef): KubeObject | undefined {
    const obj = this.informers.get(informerKey(ref.workspace, ref.resource))?.lease.informer.get(ref.workspace, ref.namespace, ref.name);
    return obj && this.ours(obj) ? obj : undefined;
  }

  list(resource: SyncedResource): KubeObject[] {
    const out: KubeObject[] = [];
    for (const ws of this.opts.workspaces.current()) {
      for (const obj of this.informers.get(informerKey(ws, resource))?.lease.informer.list() ?? []) if (this.ours(obj)) out.push(obj);
    }
    return out;
  }

  /** Filtered informers hold only our objects; shared ones hold all of them. */
  private ours(obj: KubeObject): boolean {
    return !this.opts.shared || obj.metadata?.labels?.[this.label] === 'Sync';
  }



  async fetch(ref: UpstreamRef): Promise<KubeObject | undefined> {
    try {
      return await this.opts.rootClient.forCluster(ref.workspace).get(ref.resource.gvr, ref.namespace, ref.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  patch(ref: UpstreamRef, body: Record<string, unknown> | readonly JsonPatchOp[], type: 'merge' | 'json' | 'strategic' = 'merge'): Promise<KubeObject> {
    return this.opts.rootClient.forCluster(ref.workspace).patch(ref.resource.gvr, ref.namespace, ref.name, body, { type });
  }

  async writeClusterStatus(ref: UpstreamRef, status: ReportedStatus | undefined, previous?: ReportedStatus): Promise<void> {
    const upstreamObj = this.opts.reports ? this.get(ref) : undefined;
    if (upstreamObj) {
      this.opts.reports!.submit(ref, this.opts.clusterKey, status, upstreamObj, isUrgentReport(previous, status));
      return;
    }
    const value = status === undefined ? null : stringifyJSON(status);
    await this.patch(ref, { metadata: { annotations: { [statusAnnotation(this.opts.clusterKey)]: value } } });
  }

  async discardReport(ref: UpstreamRef): Promise<void> {
    await this.opts.reports?.discard(ref, this.opts.clusterKey);
  }

  async conflictResolution(ref: UpstreamRef, upstreamObj: KubeObject): Promise<ConflictResolution> {
    const owner = upstreamObj.metadata?.annotations?.[PLACEMENT_ANNOTATION];
    if (!owner) return 'Abort';
    const [ns, name] = owner.includes('/') ? owner.split('/', 2) : [ref.namespace, owner];
    try {
      const placement = await this.opts.rootClient.forCluster(ref.workspace).get(WORKLOAD_PLACEMENTS, ns, name);
      return (placement as { spec?: { conflictResolution?: string } }).spec?.conflictResolution === 'Overwrite' ? 'Overwrite' : 'Abort';
    } catch (err) {
      if (isNotFound(err)) return 'Abort';
      throw err;
    }
  }

  /** Starts informers for new workspaces, stops those of workspaces that went away. */
  private async sync(workspaces: readonly string[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Set<string>();
    const started: Informer[] = [];
    for (const ws of workspaces) {
      for (const resource of this.opts.resources) {
        const k = informerKey(ws, resource);
        wanted.add(k);
        if (this.informers.has(k)) continue;
        const lease = this.opts.shared
          ? this.opts.shared.acquire(ws, resource)
          : ownInformer(new Informer({
            source: this.opts.rootClient.forCluster(ws), gvr: resource.gvr,
            labelSelector: `${this.label}=Sync`, logger: this.opts.logger,
            backoff: { initialMs: 200, maxMs: 10_000 },
          }));
        const emit = (obj: KubeObject, old?: KubeObject): void => { for (const h of this.handlers) h(resource, obj, old); };
        const ours = (obj: KubeObject): boolean => this.ours(obj);
        const detach = lease.informer.addEventHandler({
          onAdd: (obj) => { if (ours(obj)) emit(obj); },
          // gained the label: an add (no old, so no relevance filtering); lost it: a delete
          onUpdate: (old, obj) => { if (ours(obj)) emit(obj, ours(old) ? old : undefined); else if (ours(old)) emit(obj); },
          onDelete: (obj) => { if (ours(obj)) emit(obj); },
        });
        this.informers.set(k, { lease, detach });
        started.push(lease.informer);
      }
    }
    for (const [k, { lease, detach }] of this.informers) {
      if (!wanted.has(k)) { detach(); lease.release(); this.informers.delete(k); }
    }
    await Promise.all(started.map((i) => i.waitForSync()));
  }
}

function informerKey(workspace: string, resource: SyncedResource): string {
  return `${workspace}#${resourceId(resource)}`;
}
