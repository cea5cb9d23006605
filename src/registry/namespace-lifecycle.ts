/**
 * Namespaces' lifecycle, as kube's namespace controller: every logical cluster gets a `default`
 * namespace, and every namespace its `default` ServiceAccount; a deleted namespace turns Terminating, its contents are deleted, and once nothing is
 * left its `kubernetes` finalizer goes and the namespace with it. Objects held by their own
 * finalizers keep the namespace Terminating until those finalizers are removed.
 */
import type { Logger } from '../observability/logger.js';
import { StatusError } from '../errors/status.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject, Store } from '../storage/types.js';
import type { ResourceCatalog } from './catalog.js';
import type { GenericStore, RequestScope } from './generic-store.js';
import { storageResource, type Strategy } from './types.js';

const NAMESPACES = 'namespaces';
const SERVICE_ACCOUNTS = 'serviceaccounts';
const DEFAULT_SA = 'default';
const FINALIZER = 'kubernetes';
const SYSTEM_USER = { name: 'system:tmc:namespace-controller', groups: ['system:masters'] };
const RETRY_MS = 1000;

/** The behaviour namespaces add to the generic store. */
export function namespaceStrategy(base?: Strategy): Strategy {
  return {
    ...base,
    prepareForCreate(obj, ctx) {
      base?.prepareForCreate?.(obj, ctx);
      obj.spec = { ...(obj.spec ?? {}), finalizers: obj.spec?.finalizers ?? [FINALIZER] };
      obj.status = { phase: 'Active' };
    },
    extraFinalizers: (obj) => (obj.spec?.finalizers as string[] | undefined) ?? [],
    prepareForDelete(obj) {
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    },
  };
}

export interface NamespaceLifecycleDeps {
  store: Store;
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  defaultCluster: string;
}

export class NamespaceLifecycle {
  private unregister?: () => void;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly d: NamespaceLifecycleDeps) {}

  async start(clusters?: { all(): string[]; onAdded?(fn: (c: string) => void): void }): Promise<void> {
    for (const c of clusters?.all() ?? [this.d.defaultCluster]) await this.ensureDefault(c);
    clusters?.onAdded?.((c) => void this.ensureDefault(c));
    const informer = this.d.informers.informer(NAMESPACES);
    const onAdd = (ns: KubeObject) => {
      if (ns.metadata.deletionTimestamp) this.schedule(this.d.informers.clusterOf(ns), ns.metadata.name!, 0);
      else void this.ensureServiceAccount(this.d.informers.clusterOf(ns), ns.metadata.name!);
    };
    const onUpdate = (ns: KubeObject) => {
      if (ns.metadata.deletionTimestamp) this.schedule(this.d.informers.clusterOf(ns), ns.metadata.name!, 0);
    };
    this.unregister = informer.addEventHandler({ onAdd, onUpdate: (_old, ns) => onUpdate(ns) });
    await informer.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    this.unregister?.();
    for (const t of this.pending.values()) clearTimeout(t);
  }

  async ensureDefault(cluster: string): Promise<void> {
    const def = this.d.catalog.resolve(cluster, '', 'v1', NAMESPACES);
    if (!def) return;
    try {
      await this.d.generic.create(this.scope(cluster, ''), def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) this.d.log.error({ err: e, cluster }, 'cannot create default namespace');
    }
  }

  /**
   * Every namespace gets a `default` ServiceAccount, as kube's (and kcp's) service-account
   * controller does; clients wait for it before creating pods.
   */
  private async ensureServiceAccount(cluster: string, namespace: string): Promise<void> {
    const def = this.d.catalog.resolve(cluster, '', 'v1', SERVICE_ACCOUNTS);
    if (!def || this.stopped) return;
    const key = { cluster, resource: SERVICE_ACCOUNTS, namespace, name: DEFAULT_SA };
    try {
      if (await this.d.store.get(key)) return;
      await this.d.generic.create(this.scope(cluster, namespace), def,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SA, namespace } });
    } catch (e) {
      // gone or terminating namespaces, and a racing creator, are expected
      if (e instanceof StatusError && ['AlreadyExists', 'NotFound', 'Forbidden'].includes(e.reason)) return;
      this.d.log.error({ err: e, cluster, namespace }, 'cannot create the default service account');
    }
  }

  private scope(cluster: string, namespace: string): RequestScope {
    return { cluster, namespace, user: SYSTEM_USER, dryRun: false, fieldValidation: 'Ignore', warnings: [], fieldManager: 'namespace-controller' };
  }

  private schedule(cluster: string, name: string, delay: number): void {
    const key = `${cluster}|${name}`;
    if (this.pending.has(key) || this.stopped) return;
    const t = setTimeout(() => {
      this.pending.delete(key);
      this.finalize(cluster, name).then((done) => {
        if (!done) this.schedule(cluster, name, RETRY_MS);
      }, (err) => {
        this.d.log.error({ err, cluster, namespace: name }, 'namespace cleanup failed; retrying');
        this.schedule(cluster, name, RETRY_MS);
      });
    }, delay);
    t.unref();
    this.pending.set(key, t);
  }

  /** Deletes what is left in the namespace; returns true when the namespace itself is gone. */
  private async finalize(cluster: string, name: string): Promise<boolean> {
    const key = { cluster, resource: NAMESPACES, namespace: '', name };
    const ns = await this.d.store.get(key);
    if (!ns || !ns.metadata.deletionTimestamp) return true;
    let remaining = 0;
    for (const def of this.d.catalog.all(cluster)) {
      if (!def.namespaced) continue;
      const { items } = await this.d.store.list({ cluster, resource: storageResource(def), namespace: name });
      for (const item of items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await this.d.generic.delete(this.scope(cluster, name), def, item.metadata.name!, {});
        } catch (e) {
          if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
        }
      }
    }
    if (remaining > 0) return false;
    const updated = await this.d.store.update(key, (cur) => {
      const finalizers = ((cur.spec?.finalizers as string[]) ?? []).filter((f) => f !== FINALIZER);
      return { ...cur, spec: { ...(cur.spec ?? {}), finalizers } };
    });
    if ((updated.metadata.finalizers ?? []).length === 0 && (updated.spec?.finalizers ?? []).length === 0) {
      await this.d.store.delete(key).catch((e) => {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
      });
      return true;
    }
    return false;
  }
}
