/**
 * Namespaces' lifecycle, as kube's namespace and service-account controllers, on the controller
 * runtime (controllers/): the shared namespace informer feeds a rate-limited queue keyed
 * `cluster|name` (and so does the deletion of a `default` ServiceAccount); the decisions are
 * namespace-lifecycle-reconcile.ts; the finalizer goes through the committer; an object the
 * namespace still waits for requeues it after a second, a failure is retried with backoff.
 *
 * Every logical cluster also gets a `default` namespace when it appears.
 */
import { systemScope } from './system-scope.js';
import type { CommitFunc } from '../controllers/committer.js';
import { Controller } from '../controllers/controller.js';
import { keyOf, splitKey } from '../controllers/keys.js';
import type { ReconcileResult } from '../controllers/reconcile.js';
import { WorkQueue } from '../controllers/workqueue.js';
import { StatusError, isNotFound } from '../errors/status.js';
import type { Informer } from '../informer/informer.js';
import type { Logger } from '../observability/logger.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject, Store } from '../storage/types.js';
import type { ResourceCatalog } from './catalog.js';
import type { GenericStore, RequestScope } from './generic-store.js';
import { DEFAULT_SERVICE_ACCOUNT, activeNamespace, terminatingNamespace, type NamespaceContents } from './namespace-lifecycle-reconcile.js';
import { committerForStore } from './store-committer.js';
import { storageResource, type ResourceDef } from './types.js';

const NAMESPACES = 'namespaces';
const SERVICE_ACCOUNTS = 'serviceaccounts';
/** How soon a terminating namespace is looked at again while objects still hold it. */
const RECHECK_MS = 1000;

export interface NamespaceLifecycleDeps {
  store: Store;
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  defaultCluster: string;
  /** @default 4 (one namespace being emptied must not hold up the others' ServiceAccounts) */
  workers?: number;
}

export class NamespaceLifecycle {
  private readonly queue = new WorkQueue({ name: 'namespace-lifecycle' });
  private readonly controller: Controller;
  private readonly commit: CommitFunc;
  private readonly unregister: Array<() => void> = [];
  private namespaces!: Informer<KubeObject>;
  private serviceAccounts!: Informer<KubeObject>;
  private stopped = false;

  constructor(private readonly d: NamespaceLifecycleDeps) {
    this.controller = new Controller({
      name: 'namespace-lifecycle', queue: this.queue, workers: d.workers ?? 4, logger: d.log,
      reconcile: (key) => this.reconcile(key),
    });
    this.commit = committerForStore({
      generic: d.generic,
      defOf: (ns) => d.catalog.resolve(this.clusterOf(ns), '', 'v1', NAMESPACES),
      scopeOf: (ns) => this.scope(this.clusterOf(ns), ''),
    });
  }

  async start(clusters?: { all(): string[]; onAdded?(fn: (c: string) => void): void }): Promise<void> {
    for (const c of clusters?.all() ?? [this.d.defaultCluster]) await this.ensureDefault(c);
    clusters?.onAdded?.((c) => void this.ensureDefault(c));
    this.namespaces = this.d.informers.informer(NAMESPACES);
    this.serviceAccounts = this.d.informers.informer(SERVICE_ACCOUNTS);
    const enqueue = (ns: KubeObject) => this.queue.add(keyOf({ cluster: this.clusterOf(ns), namespace: '', name: ns.metadata.name! }));
    this.unregister.push(
      this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) }),
      this.serviceAccounts.addEventHandler({
        onDelete: (sa) => {
          if (sa.metadata.name !== DEFAULT_SERVICE_ACCOUNT || !sa.metadata.namespace) return;
          this.queue.add(keyOf({ cluster: this.clusterOf(sa), namespace: '', name: sa.metadata.namespace }));
        },
      }),
    );
    await this.namespaces.waitForSync();
    await this.serviceAccounts.waitForSync();
    this.controller.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unregister.splice(0)) u();
    await this.controller.stop();
  }

  async ensureDefault(cluster: string): Promise<void> {
    const def = this.d.catalog.resolve(cluster, '', 'v1', NAMESPACES);
    if (!def || this.stopped) return;
    try {
      await this.d.generic.create(this.scope(cluster, ''), def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) this.d.log.error({ err: e, cluster }, 'cannot create default namespace');
    }
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    const { cluster, name } = splitKey(key);
    const ns = this.namespaces.get(cluster, undefined, name);
    if (!ns) return;
    if (!ns.metadata.deletionTimestamp) {
      const hasDefaultServiceAccount = this.serviceAccounts.get(cluster, name, DEFAULT_SERVICE_ACCOUNT) !== undefined;
      if (activeNamespace({ hasDefaultServiceAccount }).action === 'createServiceAccount') await this.createServiceAccount(cluster, name);
      return;
    }
    const { contents, defs } = await this.contents(cluster, name);
    const decision = terminatingNamespace(ns, contents);
    switch (decision.action) {
      case 'deleteContents':
        for (const del of decision.deletes) await this.deleteIgnoringGone(cluster, name, defs.get(del.resource)!, del.name);
        return { requeueAfter: RECHECK_MS };
      case 'finalize':
        try {
          await this.commit(ns, decision.namespace);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        return;
      default:
        return;
    }
  }

  /**
   * Every namespace gets a `default` ServiceAccount, as kube's (and kcp's) service-account
   * controller does; clients wait for it before creating pods.
   */
  private async createServiceAccount(cluster: string, namespace: string): Promise<void> {
    const def = this.d.catalog.resolve(cluster, '', 'v1', SERVICE_ACCOUNTS);
    if (!def) return;
    try {
      await this.d.generic.create(this.scope(cluster, namespace), def,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } });
    } catch (e) {
      // gone or terminating namespaces, and a racing creator, are expected
      if (e instanceof StatusError && ['AlreadyExists', 'NotFound', 'Forbidden'].includes(e.reason)) return;
      throw e;
    }
  }

  /** What is stored in the namespace, once per storage resource (several versions share one). */
  private async contents(cluster: string, namespace: string): Promise<{ contents: NamespaceContents[]; defs: Map<string, ResourceDef> }> {
    const defs = new Map<string, ResourceDef>();
    for (const def of this.d.catalog.all(cluster)) {
      if (def.namespaced && !defs.has(storageResource(def))) defs.set(storageResource(def), def);
    }
    const contents: NamespaceContents[] = [];
    for (const resource of defs.keys()) {
      const { items } = await this.d.store.list({ cluster, resource, namespace });
      if (items.length) contents.push({ resource, items });
    }
    return { contents, defs };
  }

  private async deleteIgnoringGone(cluster: string, namespace: string, def: ResourceDef, name: string): Promise<void> {
    try {
      await this.d.generic.delete(this.scope(cluster, namespace), def, name, {});
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private clusterOf(obj: KubeObject): string {
    return this.d.informers.clusterOf(obj);
  }

  private scope(cluster: string, namespace: string): RequestScope {
    return systemScope('namespace-controller', cluster, namespace);
  }
}
