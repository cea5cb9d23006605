/**
 * APIExportEndpointSlices, as current kcp publishes an export's virtual-workspace URLs: every
 * APIExport gets a default slice of the same name in its workspace, and every slice (default or a
 * user's, naming an export by path and name) has `status.endpoints[].url` = the export's VW URL
 * (one shard here, so one endpoint). A slice whose export does not exist has no endpoints and
 * `APIExportValid=False`.
 */
import { systemScope } from '../../registry/system-scope.js';
import { setCondition } from '../../apis/conditions.js';
import { rfc3339 } from '../../apis/time.js';
import { clusterOf as annotatedCluster, logicalClusterNameOf } from '../../apis/contract.js';
import { StatusError } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import type { KubeObject, Store, Watcher } from '../../storage/types.js';
import { ROOT_CLUSTER } from '../logical-clusters.js';

const EXPORTS = 'apis.kcp.io/apiexports';
const SLICES = 'apis.kcp.io/apiexportendpointslices';
const clusterOf = (o: KubeObject) => annotatedCluster(o, ROOT_CLUSTER);

export interface EndpointSlicesDeps { store: Store; generic: GenericStore; catalog: ResourceCatalog; log: Logger; externalURL: () => string }

export class EndpointSlices {
  private readonly watchers: Watcher[] = [];
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly d: EndpointSlicesDeps) {}

  async start(): Promise<void> {
    const rv = await this.d.store.currentResourceVersion();
    await this.reconcileAll();
    for (const resource of [EXPORTS, SLICES]) {
      this.watchers.push(this.d.store.watch({ cluster: '*', resource }, { resourceVersion: rv }, { onEvent: () => this.kick() }));
    }
  }

  stop(): void { this.stopped = true; for (const w of this.watchers) w.stop(); }

  private kick(): void {
    if (this.stopped) return;
    if (this.pass) { this.again = true; return; }
    this.pass = new Promise<void>((r) => setImmediate(r)).then(() => this.reconcileAll())
      .catch((err) => this.d.log.warn({ err }, 'endpoint slice reconcile failed'))
      .finally(() => { this.pass = undefined; if (this.again) { this.again = false; this.kick(); } });
  }

  private scope(cluster: string): RequestScope {
    return systemScope('endpoint-slices', cluster);
  }

  private async reconcileAll(): Promise<void> {
    const exports = (await this.d.store.list({ cluster: '*', resource: EXPORTS })).items;
    const live = new Map(exports.filter((e) => !e.metadata.deletionTimestamp).map((e) => [`${clusterOf(e)}|${e.metadata.name}`, e]));
    for (const e of live.values()) {
      const cluster = clusterOf(e);
      if (await this.d.store.get({ cluster, resource: SLICES, namespace: '', name: e.metadata.name! })) continue;
      const def = this.d.catalog.resolve(cluster, 'apis.kcp.io', 'v1alpha1', 'apiexportendpointslices');
      if (!def) continue;
      try {
        await this.d.generic.create(this.scope(cluster), def, {
          apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExportEndpointSlice', metadata: { name: e.metadata.name! },
          spec: { export: { path: cluster, name: e.metadata.name } },
        });
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      }
    }
    for (const slice of (await this.d.store.list({ cluster: '*', resource: SLICES })).items) {
      const cluster = clusterOf(slice);
      const ref = (slice.spec?.export ?? {}) as { path?: string; name?: string };
      const exportCluster = ref.path || cluster;
      const exp = live.get(`${exportCluster}|${ref.name}`);
      const now = rfc3339();
      const status: Record<string, unknown> = { ...(slice.status ?? {}) };
      if (exp) {
        status.endpoints = [{ url: `${this.d.externalURL()}/services/apiexport/${logicalClusterNameOf(exp, exportCluster)}/${ref.name}` }];
        status.conditions = setCondition(slice.status?.conditions, { type: 'APIExportValid', status: 'True' }, now);
      } else {
        delete status.endpoints;
        status.conditions = setCondition(slice.status?.conditions, { type: 'APIExportValid', status: 'False', reason: 'APIExportNotFound', message: `APIExport ${exportCluster}:${ref.name ?? ''} not found` }, now);
      }
      if (JSON.stringify(status) === JSON.stringify(slice.status ?? {})) continue;
      const def = this.d.catalog.resolve(cluster, 'apis.kcp.io', 'v1alpha1', 'apiexportendpointslices');
      if (!def) continue;
      try {
        await this.d.generic.patch(this.scope(cluster), def, slice.metadata.name!, 'status', async (l) => ({ object: { ...l!, status } }), { allowCreate: false });
      } catch (err) {
        if (!(err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
        this.again = true;
      }
    }
  }
}
