/**
 * The syncer virtual workspace source (pull mode): `/services/syncer/<registration workspace>/
 * <registration>/<uid>/clusters/*` shows only the objects labelled Sync for this cluster, across
 * every workspace, so one wildcard informer per resource suffices. Status writes go to the /status
 * subresource, which the VW turns into the `status.tmc.kcp.io/<key>` annotation upstream.
 *
 * What the VW does not show (unlabelled ConfigMaps/Secrets, placements) is read through the same
 * prefix with `clusters/<workspace>`; if the VW refuses, dependencies report DependencyNotFound and
 * conflicts default to Abort.
 */
import { PLACEMENT_ANNOTATION } from '../../apis/contract.js';
import { WORKLOAD_PLACEMENTS } from '../../apis/tmc/gvr.js';
import { isNotFound } from '../../errors/status.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import type { Logger } from '../../observability/logger.js';
import type { ReportedStatus } from '../aggregate/types.js';
import type { UpstreamRef } from '../keys.js';
import { resourceId, type SyncedResource } from '../resources.js';
import type { ChangeHandler, ConflictResolution, JsonPatchOp, UpstreamSource } from './source.js';

export interface SyncerVWSourceOptions {
  /** A client whose prefix is the VW root: `/services/syncer/<ws>/<registration>/<uid>`. */
  vwClient: KubeClient;
  resources: readonly SyncedResource[];
  logger?: Logger;
}

export function syncerVWPrefix(registrationWorkspace: string, registration: string, uid: string): string {
  return `/services/syncer/${registrationWorkspace}/${encodeURIComponent(registration)}/${encodeURIComponent(uid)}`;
}

export class SyncerVWSource implements UpstreamSource {
  readonly mode = 'syncer-vw' as const;
  private readonly informers = new Map<string, Informer>();
  private readonly handlers: ChangeHandler[] = [];

  constructor(private readonly opts: SyncerVWSourceOptions) {}

  async start(): Promise<void> {
    const wildcard = this.opts.vwClient.withPrefix('/clusters/*');
    for (const resource of this.opts.resources) {
      const inf = new Informer({ source: wildcard, gvr: resource.gvr, logger: this.opts.logger, backoff: { initialMs: 200, maxMs: 10_000 } });
      const emit = (obj: KubeObject, old?: KubeObject): void => { for (const h of this.handlers) h(resource, obj, old); };
      inf.addEventHandler({ onAdd: (obj) => emit(obj), onUpdate: (old, obj) => emit(obj, old), onDelete: (obj) => emit(obj) });
      this.informers.set(resourceId(resource), inf);
      inf.start();
    }
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
    this.informers.clear();
  }

  onChange(handler: ChangeHandler): void {
    this.handlers.push(handler);
  }

  get(ref: UpstreamRef): KubeObject | undefined {
    return this.informers.get(resourceId(ref.resource))?.get(ref.workspace, ref.namespace, ref.name);
  }

  list(resource: SyncedResource): KubeObject[] {
    return this.informers.get(resourceId(resource))?.list() ?? [];
  }

  async fetch(ref: UpstreamRef): Promise<KubeObject | undefined> {
    try {
      return await this.client(ref.workspace).get(ref.resource.gvr, ref.namespace, ref.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  patch(ref: UpstreamRef, body: Record<string, unknown> | readonly JsonPatchOp[], type: 'merge' | 'json' | 'strategic' = 'merge'): Promise<KubeObject> {
    return this.client(ref.workspace).patch(ref.resource.gvr, ref.namespace, ref.name, body, { type });
  }

  async writeClusterStatus(ref: UpstreamRef, status: ReportedStatus | undefined, previous?: ReportedStatus): Promise<void> {
    // The VW shows and stores this cluster's status only; a merge patch must null what went away.
    const body: Record<string, unknown> = { ...(status ?? {}) };
    for (const k of Object.keys(previous ?? {})) if (!(k in body)) body[k] = null;
    await this.client(ref.workspace).patch(ref.resource.gvr, ref.namespace, ref.name, { status: body }, { type: 'merge', subresource: 'status' });
  }

  async conflictResolution(ref: UpstreamRef, upstreamObj: KubeObject): Promise<ConflictResolution> {
    const owner = upstreamObj.metadata?.annotations?.[PLACEMENT_ANNOTATION];
    if (!owner) return 'Abort';
    const [ns, name] = owner.includes('/') ? owner.split('/', 2) : [ref.namespace, owner];
    try {
      const placement = await this.client(ref.workspace).get(WORKLOAD_PLACEMENTS, ns, name);
      return (placement as { spec?: { conflictResolution?: string } }).spec?.conflictResolution === 'Overwrite' ? 'Overwrite' : 'Abort';
    } catch {
      // The VW may not serve placements: the safe default never touches a foreign object.
      return 'Abort';
    }
  }

  private client(workspace: string): KubeClient {
    return this.opts.vwClient.forCluster(workspace);
  }
}
