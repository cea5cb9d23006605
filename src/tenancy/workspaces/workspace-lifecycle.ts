/**
 * What kcp's workspace and logicalcluster controllers do, embedded: every workspace gets its
 * `core.kcp.io/v1alpha1` LogicalCluster named `cluster`; a deleted workspace (held by the finalizer
 * `core.kcp.io/logicalcluster`) has its child workspaces deleted first (each cascading in turn), then
 * every object in its logical cluster (through the generic store, so objects' own finalizers are
 * honoured), then straight from storage the objects of resources it no longer serves (an APIBinding
 * or CRD deleted earlier), its APIBindings last (their resources go with them), then its
 * LogicalCluster; only then does the finalizer go and the Workspace with it.
 *
 * Initialization, as kcp's workspace and logicalcluster phase reconcilers do it: a workspace whose
 * type has initializers (workspace-strategy.ts) gets a LogicalCluster with them in
 * `spec.initializers` and `status.initializers`, phase `Initializing`. Controllers remove theirs
 * from the LogicalCluster's status (logical-cluster-strategy.ts says how it may change); each change
 * is mirrored into the Workspace's `status.initializers`, and once none is left both turn `Ready`.
 *
 * It runs inside the server on the store, as the API bindings controller does.
 */
import { systemScope } from '../../registry/system-scope.js';
import { clusterOf } from '../../apis/contract.js';
import { StatusError } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import { storageResource, type ResourceDef } from '../../registry/types.js';
import type { StoreInformers } from '../../storage/informers.js';
import type { KubeObject, Store } from '../../storage/types.js';
import { ROOT_CLUSTER, WORKSPACE_RESOURCE } from '../logical-clusters.js';
import { rfc3339 } from '../../apis/time.js';
import { initializationConditions, WORKSPACE_FINALIZER } from '../workspace-strategy.js';
import { parentPath, type TypeRef, type WorkspaceTypes } from './workspace-types.js';

export const LOGICAL_CLUSTER_RESOURCE = 'core.kcp.io/logicalclusters';
export const LOGICAL_CLUSTER_NAME = 'cluster';
export const PATH_ANNOTATION = 'kcp.io/path';
const RETRY_MS = 200;
/**
 * Workspaces reconciled at once. Each reconcile waits on several writes' commits; one at a time
 * left the server idle between them while a burst of new workspaces waited for their LogicalClusters.
 */
const WORKERS = 4;
/** Removed from a terminating logical cluster after everything else, in this order. */
const LAST = ['apis.kcp.io/apibindings', LOGICAL_CLUSTER_RESOURCE];

export interface WorkspaceLifecycleDeps {
  store: Store;
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  externalURL: () => string;
  /** For the types' defaultAPIBindings; unset, none are made. */
  types?: WorkspaceTypes;
}


export class WorkspaceLifecycle {
  private unregister?: () => void;
  private readonly queue = new Set<string>();
  /** Keys being reconciled: never two reconciles of one workspace at once. */
  private readonly inFlight = new Set<string>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly d: WorkspaceLifecycleDeps) {}

  async start(): Promise<void> {
    await this.ensureLogicalCluster('root', undefined);
    const informer = this.d.informers.informer(WORKSPACE_RESOURCE);
    const enqueue = (ws: KubeObject) => this.enqueue(this.d.informers.clusterOf(ws), ws.metadata.name!);
    const unregisterWorkspaces = informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ws) => enqueue(ws), onDelete: enqueue });
    // a LogicalCluster's initializers going (a controller removed its own) move its Workspace on
    const logicalClusters = this.d.informers.informer(LOGICAL_CLUSTER_RESOURCE);
    const owner = (lc: KubeObject) => {
      const path = this.d.informers.clusterOf(lc);
      const parent = parentPath(path);
      if (parent && lc.status?.phase === 'Initializing') this.enqueue(parent, path.slice(parent.length + 1));
    };
    const unregisterLogicalClusters = logicalClusters.addEventHandler({ onAdd: owner, onUpdate: (_old, lc) => owner(lc) });
    this.unregister = () => { unregisterWorkspaces(); unregisterLogicalClusters(); };
    await informer.waitForSync();
    await logicalClusters.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    this.unregister?.();
    if (this.timer) clearTimeout(this.timer);
  }

  private enqueue(cluster: string, name: string): void {
    if (this.stopped) return;
    this.queue.add(`${cluster}|${name}`);
    this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain()).finally(() => { this.running = undefined; });
  }

  private async drain(): Promise<void> {
    const retry: string[] = [];
    const worker = async () => {
      for (let key = this.next(); key !== undefined; key = this.next()) {
        this.inFlight.add(key);
        const [cluster, name] = key.split('|') as [string, string];
        try {
          if (!(await this.reconcile(cluster, name))) retry.push(key);
        } catch (err) {
          this.d.log.warn({ err, cluster, name }, 'workspace reconcile failed; retrying');
          retry.push(key);
        } finally {
          this.inFlight.delete(key);
        }
      }
    };
    // a key queued again while in flight waits for the next round
    while (this.queue.size && !this.stopped) await Promise.all(Array.from({ length: WORKERS }, worker));
    if (retry.length && !this.stopped) {
      this.timer = setTimeout(() => { for (const k of retry) { const [c, n] = k.split('|') as [string, string]; this.enqueue(c, n); } }, RETRY_MS);
    }
  }

  /** The first queued key not being reconciled, taken off the queue. */
  private next(): string | undefined {
    if (this.stopped) return undefined;
    for (const key of this.queue) {
      if (this.inFlight.has(key)) continue;
      this.queue.delete(key);
      return key;
    }
    return undefined;
  }

  /** true when nothing is left to do for this workspace. */
  private async reconcile(cluster: string, name: string): Promise<boolean> {
    const child = `${cluster}:${name}`;
    const ws = await this.d.store.get({ cluster, resource: WORKSPACE_RESOURCE, namespace: '', name });
    // gone without waiting for us (stored before workspaces had a finalizer): clean up after it
    if (!ws) return this.emptyCluster(child);
    if (!ws.metadata.deletionTimestamp) {
      await this.ensureLogicalCluster(child, ws);
      await this.followInitialization(cluster, child, ws);
      return true;
    }
    if (!(await this.emptyCluster(child))) return false;
    await this.removeFinalizer(cluster, name);
    return true;
  }

  private scope(cluster: string, namespace = ''): RequestScope {
    return systemScope('workspace-controller', cluster, namespace);
  }

  /** The defaultAPIBindings of the workspace's type and of every type it extends. */
  private async createDefaultBindings(path: string, ws: KubeObject): Promise<void> {
    const type = ws.spec?.type as TypeRef | undefined;
    const types = this.d.types;
    if (!types || !type?.name) return;
    const def = this.d.catalog.resolve(path, 'apis.kcp.io', 'v1alpha1', 'apibindings');
    if (!def) return;
    for (const t of types.aliases({ name: type.name, path: type.path ?? ROOT_CLUSTER })) {
      for (const b of types.get(t.path, t.name)?.defaultAPIBindings ?? []) {
        if (!b?.export) continue;
        const obj: KubeObject = {
          apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: b.export },
          spec: { reference: { export: { path: b.path || t.path, name: b.export } } },
        };
        try {
          await this.d.generic.create(this.scope(path), def, obj);
        } catch (e) {
          if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
        }
      }
    }
  }

  private async ensureLogicalCluster(path: string, ws: KubeObject | undefined): Promise<void> {
    const existing = await this.d.store.get({ cluster: path, resource: LOGICAL_CLUSTER_RESOURCE, namespace: '', name: LOGICAL_CLUSTER_NAME });
    // a LogicalCluster without a phase was made by an attempt that failed before its status write
    if (existing?.status?.phase) return;
    const def = this.d.catalog.resolve(path, 'core.kcp.io', 'v1alpha1', 'logicalclusters');
    if (!def) return;
    // before the LogicalCluster, so a retry after a failure here makes them again; once it exists, a
    // binding the user deleted stays deleted (kcp binds them once, while the workspace initializes)
    if (ws && !existing) await this.createDefaultBindings(path, ws);
    const parent = ws ? clusterOf(ws, ROOT_CLUSTER) : undefined;
    const type = ws?.spec?.type as { name?: string; path?: string } | undefined;
    // what the Workspace was created waiting for (workspace-strategy.ts); none for workspaces
    // created Ready, also those stored before initializers existed
    const initializers = ws?.status?.phase === 'Initializing' ? ((ws.status.initializers as string[] | undefined) ?? []) : [];
    const obj: KubeObject = {
      apiVersion: 'core.kcp.io/v1alpha1', kind: 'LogicalCluster',
      metadata: {
        name: LOGICAL_CLUSTER_NAME,
        annotations: { [PATH_ANNOTATION]: path, 'internal.tenancy.kcp.io/type': type?.name ? `${type.path ?? 'root'}:${type.name}` : 'root:root' },
      },
      spec: ws && parent ? {
        owner: { apiVersion: 'tenancy.kcp.io/v1alpha1', resource: 'workspaces', name: ws.metadata.name, cluster: parent, uid: ws.metadata.uid },
        ...(initializers.length ? { initializers } : {}),
      } : {},
    };
    if (!existing) {
      try {
        await this.d.generic.create(this.scope(path), def, obj);
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
      }
    }
    await this.d.generic.patch(this.scope(path), def, LOGICAL_CLUSTER_NAME, 'status', async (live) => ({
      object: {
        ...live!,
        status: {
          ...(live!.status ?? {}), URL: `${this.d.externalURL()}/clusters/${path}`,
          phase: initializers.length ? 'Initializing' : 'Ready',
          ...(initializers.length ? { initializers } : {}),
          conditions: initializationConditions(initializers, rfc3339()).filter((c) => c.type !== 'Ready'),
        },
      },
    }), { allowCreate: false });
  }

  /**
   * An initializing workspace follows its LogicalCluster: the LogicalCluster turns Ready once its
   * last initializer is removed, and the Workspace mirrors its initializers and phase.
   */
  private async followInitialization(parent: string, path: string, ws: KubeObject): Promise<void> {
    if (ws.status?.phase !== 'Initializing') return;
    const lcDef = this.d.catalog.resolve(path, 'core.kcp.io', 'v1alpha1', 'logicalclusters');
    const lc = await this.d.store.get({ cluster: path, resource: LOGICAL_CLUSTER_RESOURCE, namespace: '', name: LOGICAL_CLUSTER_NAME });
    if (!lc || !lcDef) return;
    let phase = lc.status?.phase as string | undefined;
    const initializers = (lc.status?.initializers as string[] | undefined) ?? [];
    if (phase === 'Initializing' && !initializers.length) {
      await this.d.generic.patch(this.scope(path), lcDef, LOGICAL_CLUSTER_NAME, 'status', async (live) => ({
        object: live!.status?.phase !== 'Initializing' || (live!.status?.initializers ?? []).length ? live! : {
          ...live!, status: { ...live!.status, phase: 'Ready', conditions: initializationConditions([], rfc3339()).filter((c) => c.type !== 'Ready') },
        },
      }), { allowCreate: false });
      phase = 'Ready';
    }
    if (phase !== 'Ready' && phase !== 'Initializing') return;
    const mirrored = (ws.status?.initializers as string[] | undefined) ?? [];
    if (phase === 'Initializing' && mirrored.join(' ') === initializers.join(' ')) return;
    const wsDef = this.d.catalog.resolve(parent, 'tenancy.kcp.io', 'v1alpha1', 'workspaces');
    if (!wsDef) return;
    await this.d.generic.patch(this.scope(parent), wsDef, ws.metadata.name!, 'status', async (live) => {
      if (live!.metadata.uid !== ws.metadata.uid || live!.status?.phase !== 'Initializing') return { object: live! };
      const { initializers: _gone, ...status } = live!.status ?? {};
      const left = phase === 'Ready' ? [] : initializers;
      return {
        object: { ...live!, status: { ...status, ...(left.length ? { initializers: left } : {}), phase: left.length ? 'Initializing' : 'Ready', conditions: initializationConditions(left, rfc3339()) } },
      };
    }, { allowCreate: false });
  }

  /**
   * Deletes what is in a logical cluster, child workspaces first; true once it is empty. Objects
   * held by finalizers are marked and waited for.
   */
  private async emptyCluster(path: string): Promise<boolean> {
    const wsDef = this.d.catalog.resolve(path, 'tenancy.kcp.io', 'v1alpha1', 'workspaces');
    if (wsDef && !(await this.deleteAll(path, wsDef))) return false;
    const byResource = new Map<string, ResourceDef>();
    for (const def of this.d.catalog.all(path)) {
      if (def.storedAs) continue; // another version of a resource listed under its stored one
      const r = storageResource(def);
      if (r !== WORKSPACE_RESOURCE && !byResource.has(r)) byResource.set(r, def);
    }
    const first = [...byResource.entries()].filter(([r]) => !LAST.includes(r)).map(([, def]) => def);
    let empty = true;
    for (const def of first) if (!(await this.deleteAll(path, def))) empty = false;
    if (!empty) return false;
    await this.purgeUnserved(path, new Set(byResource.keys()));
    for (const r of LAST) {
      const def = byResource.get(r);
      if (def && !(await this.deleteAll(path, def))) return false;
    }
    return true;
  }

  /**
   * Objects of resources the workspace no longer serves (its APIBinding or CRD went before it): no
   * client can reach them or release their finalizers any more, so they go straight from storage.
   * Left there, a workspace created again under the same path would show them once it bound the
   * same API.
   */
  private async purgeUnserved(path: string, served: Set<string>): Promise<void> {
    for (const resource of (await this.d.store.resourcesIn?.(path)) ?? []) {
      if (served.has(resource)) continue;
      const { items } = await this.d.store.list({ cluster: path, resource });
      for (const o of items) {
        try {
          await this.d.store.delete({ cluster: path, resource, namespace: o.metadata.namespace ?? '', name: o.metadata.name! });
        } catch (e) {
          if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
        }
      }
      if (items.length) this.d.log.info({ cluster: path, resource, objects: items.length }, 'removed objects of a resource the deleted workspace no longer served');
    }
  }

  /** Asks for every object of a resource in a cluster to be deleted; true when none is left. */
  private async deleteAll(path: string, def: ResourceDef): Promise<boolean> {
    const { items } = await this.d.store.list({ cluster: path, resource: storageResource(def) });
    for (const o of items) {
      if (o.metadata.deletionTimestamp) continue;
      try {
        await this.d.generic.delete(this.scope(path, o.metadata.namespace ?? ''), def, o.metadata.name!, {});
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
      }
    }
    if (!items.length) return true;
    return (await this.d.store.list({ cluster: path, resource: storageResource(def) }, { limit: 1 })).items.length === 0;
  }

  private async removeFinalizer(cluster: string, name: string): Promise<void> {
    const def = this.d.catalog.resolve(cluster, 'tenancy.kcp.io', 'v1alpha1', 'workspaces');
    if (!def) return;
    try {
      await this.d.generic.patch(this.scope(cluster), def, name, '', async (live) => ({
        object: { ...live!, metadata: { ...live!.metadata, finalizers: (live!.metadata.finalizers ?? []).filter((f) => f !== WORKSPACE_FINALIZER) } },
      }), { allowCreate: false });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
    }
  }
}
