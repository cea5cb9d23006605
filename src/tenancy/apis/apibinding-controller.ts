/**
 * kcp's apiexport and apibinding controllers, inside the server, on the controller runtime
 * (controllers/): the shared store informers of exports, bindings, schemas and CRDs feed two
 * rate-limited queues keyed `workspace|name`; the decisions are the pure functions of
 * apibinding-reconcile.ts; status goes through the committer (a merge patch of old vs new, none
 * when equal); a failure is retried with backoff, a terminal one counted (controllers/reconcile.ts).
 *
 * Only what an event can change is enqueued, through informer indexes:
 *   export changed          → the export, and the bindings that reference it
 *   schema changed          → the bindings of the exports that list it
 *   binding changed         → that binding; one that stops serving → the other bindings of its
 *                             workspace (a name it held may be free for them now)
 *   CRD changed             → the bindings of its workspace (naming conflicts)
 */
import { systemScope } from '../../registry/system-scope.js';
import { rfc3339 } from '../../apis/time.js';
import { logicalClusterNameOf } from '../../apis/contract.js';
import { Controller, type ControllerOptions } from '../../controllers/controller.js';
import type { CommitFunc } from '../../controllers/committer.js';
import { keyOf, splitKey } from '../../controllers/keys.js';
import { WorkQueue } from '../../controllers/workqueue.js';
import { isNotFound } from '../../errors/status.js';
import type { Clock } from '../../informer/clock.js';
import type { Informer } from '../../informer/informer.js';
import type { Logger } from '../../observability/logger.js';
import { CRD_RESOURCE } from '../../registry/crd-source.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import { committerForStore } from '../../registry/store-committer.js';
import type { ResourceDef } from '../../registry/types.js';
import type { StoreInformers } from '../../storage/informers.js';
import type { KubeObject, Store } from '../../storage/types.js';
import { exportReference, exportStatus, reconcileBinding, type BindingInputs } from './apibinding-reconcile.js';
import { ensureIdentity } from './identity-secret.js';
import type { ServedBindings } from './served-bindings.js';

export const APIS_GROUP = 'apis.kcp.io';
export const APIS_RESOURCES = {
  exports: `${APIS_GROUP}/apiexports`,
  bindings: `${APIS_GROUP}/apibindings`,
  schemas: `${APIS_GROUP}/apiresourceschemas`,
} as const;

/** Informer indexes (names are shared by every user of these informers). */
const BY_EXPORT = 'apibindings-by-export';
const BY_WORKSPACE = 'apibindings-by-workspace';
const BY_SCHEMA = 'apiexports-by-schema';

export interface APIBindingControllerDeps {
  store: Store;
  informers: StoreInformers;
  generic: GenericStore;
  log: Logger;
  served: ServedBindings;
  /** CRD-served resources of a cluster (a binding may not shadow them). */
  crdDefs: (cluster: string) => ResourceDef[];
  resolveDef: (cluster: string, group: string, version: string, resource: string) => ResourceDef | undefined;
  /** Base URL of this server, for status.virtualWorkspaces. */
  externalURL: () => string;
  nativeDef?: BindingInputs['nativeDef'];
  /** For the queues' delays (tests). */
  clock?: Clock;
  /** Condition times. @default now, RFC 3339 */
  now?: () => string;
  /** Called once per processed key (the runtime's metric hook; tests see what was reconciled). */
  onOutcome?: ControllerOptions['onOutcome'];
}

export class APIBindingController {
  private readonly exportQueue: WorkQueue;
  private readonly bindingQueue: WorkQueue;
  private readonly controllers: Controller[];
  private readonly commit: CommitFunc;
  private readonly unregister: Array<() => void> = [];
  private readonly now: () => string;
  private exports!: Informer<KubeObject>;
  private bindings!: Informer<KubeObject>;
  private schemas!: Informer<KubeObject>;

  constructor(private readonly d: APIBindingControllerDeps) {
    this.now = d.now ?? (() => rfc3339());
    this.exportQueue = new WorkQueue({ name: 'apiexports', clock: d.clock });
    this.bindingQueue = new WorkQueue({ name: 'apibindings', clock: d.clock });
    // one worker each: a binding's naming-conflict check reads what the others serve, so bindings
    // are judged one at a time
    this.controllers = [
      new Controller({ name: 'apiexports', queue: this.exportQueue, reconcile: (key) => this.reconcileExport(key), logger: d.log, onOutcome: d.onOutcome }),
      new Controller({ name: 'apibindings', queue: this.bindingQueue, reconcile: (key) => this.reconcileBinding(key), logger: d.log, onOutcome: d.onOutcome }),
    ];
    this.commit = committerForStore({
      generic: d.generic,
      defOf: (obj) => d.resolveDef(this.clusterOf(obj), APIS_GROUP, 'v1alpha1', obj.kind === 'APIExport' ? 'apiexports' : 'apibindings'),
      scopeOf: (obj) => this.scope(this.clusterOf(obj)),
    });
  }

  async start(): Promise<void> {
    const inf = this.d.informers;
    this.schemas = inf.informer(APIS_RESOURCES.schemas);
    this.exports = inf.informer(APIS_RESOURCES.exports);
    this.bindings = inf.informer(APIS_RESOURCES.bindings);
    const crds = inf.informer(CRD_RESOURCE);
    // index functions run inside the informer's cache writes: they must not throw on any stored shape
    this.exports.addIndex(BY_SCHEMA, (e) => {
      const schemas: unknown = e.spec?.latestResourceSchemas;
      return Array.isArray(schemas) ? schemas.filter((s) => typeof s === 'string').map((s) => this.objectKey(this.clusterOf(e), s)) : [];
    });
    this.bindings.addIndex(BY_EXPORT, (b) => {
      const ref = exportReference(b, this.clusterOf(b));
      return ref.name ? [this.objectKey(ref.cluster, ref.name)] : [];
    });
    this.bindings.addIndex(BY_WORKSPACE, (b) => [this.clusterOf(b)]);

    const onEvery = (fn: (o: KubeObject) => void) => ({ onAdd: fn, onUpdate: (_old: KubeObject, o: KubeObject) => fn(o), onDelete: fn });
    this.unregister.push(
      this.exports.addEventHandler(onEvery((e) => {
        const key = this.keyOfObject(e);
        this.exportQueue.add(key);
        this.enqueueBindings(BY_EXPORT, key);
      })),
      this.schemas.addEventHandler(onEvery((s) => {
        for (const e of this.exports.byIndex(BY_SCHEMA, this.keyOfObject(s))) this.enqueueBindings(BY_EXPORT, this.keyOfObject(e));
      })),
      this.bindings.addEventHandler(onEvery((b) => this.bindingQueue.add(this.keyOfObject(b)))),
      crds.addEventHandler(onEvery((crd) => this.enqueueBindings(BY_WORKSPACE, this.clusterOf(crd)))),
    );
    // judge no binding before its export and schemas are known
    for (const i of [this.schemas, this.exports, this.bindings, crds]) await i.waitForSync();
    for (const c of this.controllers) c.start();
    await this.settle();
  }

  async stop(): Promise<void> {
    for (const u of this.unregister.splice(0)) u();
    await Promise.all(this.controllers.map((c) => c.stop()));
  }

  /**
   * Resolves once both queues are idle: what was changed so far is reconciled (keys waiting on a
   * retry delay excepted). An export's status write enqueues its bindings before the export's
   * reconcile ends, so one idle moment of both is enough.
   */
  async settle(): Promise<void> {
    do {
      await this.exportQueue.idle();
      await this.bindingQueue.idle();
    } while (this.exportQueue.len() > 0);
  }

  // ------------------------------------------------------------------ exports

  private async reconcileExport(key: string): Promise<void> {
    const { cluster, name } = splitKey(key);
    const exp = this.exports.get(cluster, undefined, name);
    if (!exp || exp.metadata.deletionTimestamp) return;
    const identityHash = await ensureIdentity({ ...this.d, scope: (c, ns) => this.scope(c, ns) }, cluster, exp);
    // as kcp builds it: by the export's logical cluster name (its path resolves there too)
    const url = `${this.d.externalURL()}/services/apiexport/${logicalClusterNameOf(exp, cluster)}/${name}`;
    await this.commitStatus(exp, exportStatus(exp, { identityHash, url, now: this.now() }));
  }

  // ------------------------------------------------------------------ bindings

  private async reconcileBinding(key: string): Promise<void> {
    const { cluster, name } = splitKey(key);
    const b = this.bindings.get(cluster, undefined, name);
    if (!b) {
      this.unserve(cluster, name);
      return;
    }
    const ref = exportReference(b, cluster);
    const { status, serving } = reconcileBinding({
      binding: b, cluster,
      export: ref.name ? this.exports.get(ref.cluster, undefined, ref.name) : undefined,
      schema: (s) => this.schemas.get(ref.cluster, undefined, s),
      served: {
        crdDefs: this.d.crdDefs(cluster),
        otherBindingDefs: this.d.served.othersDefs(cluster, name),
        resolve: (group, version, resource) => this.d.resolveDef(cluster, group, version, resource),
      },
      nativeDef: this.d.nativeDef,
      now: this.now(),
    });
    // serving first: a client that sees the binding Bound can use its resources at once
    if (serving.action === 'serve') this.d.served.serve(cluster, name, serving.defs, serving.bound);
    else if (serving.action === 'unserve') this.unserve(cluster, name);
    await this.commitStatus(b, status);
  }

  private unserve(cluster: string, binding: string): void {
    if (!this.d.served.unserve(cluster, binding)) return;
    for (const other of this.bindings.byIndex(BY_WORKSPACE, cluster)) {
      if (other.metadata.name !== binding) this.bindingQueue.add(this.keyOfObject(other));
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** Status through the committer; an object deleted meanwhile is done (its delete event enqueues it). */
  private async commitStatus(obj: KubeObject, status: Record<string, unknown>): Promise<void> {
    try {
      await this.commit(obj, { ...obj, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private enqueueBindings(index: string, value: string): void {
    for (const b of this.bindings.byIndex(index, value)) this.bindingQueue.add(this.keyOfObject(b));
  }

  /** The one cluster accessor: objects without `kcp.io/cluster` belong to the default cluster. */
  private clusterOf(obj: KubeObject): string {
    return this.d.informers.clusterOf(obj);
  }

  private objectKey(cluster: string, name: string): string {
    return keyOf({ cluster, namespace: '', name });
  }

  private keyOfObject(obj: KubeObject): string {
    return this.objectKey(this.clusterOf(obj), obj.metadata.name!);
  }

  private scope(cluster: string, namespace = ''): RequestScope {
    return systemScope('apis-controller', cluster, namespace);
  }
}
