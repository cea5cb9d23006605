/**
 * The generic registry store: Kubernetes' write and read semantics for any ResourceDef, on top of
 * the Store contract. This is where create/update/patch/delete get kube's rules: server-set
 * metadata, generateName, generation, the status split, optimistic concurrency, finalizers and
 * deletionTimestamp, dry-run, strict field validation, defaulting, validation and admission.
 *
 * The wire layer (apiserver/) decodes requests and encodes responses; everything about what a
 * write means lives here, so virtual workspaces and in-process clients get identical behaviour.
 */
import { randomUUID, randomInt } from 'node:crypto';
import { rfc3339 } from '../apis/time.js';
import { CLUSTER_ANNOTATION, PATH_ANNOTATION } from '../apis/contract.js';
import {
  StatusError, badRequest, conflict, forbidden, invalid, notFound, type FieldError,
} from '../errors/status.js';
import { FieldSelector } from '../machinery/fields.js';
import { LabelSelector } from '../machinery/labels.js';
import { deepCopy, deepEqual } from '../machinery/objects.js';
import type {
  KeyPrefix, KubeObject, ListOptions, ListResult, ObjectKey, RawListResult, Store, WatchHandlers, Watcher,
} from '../storage/types.js';
import type { AdmissionHook, ManagedFieldsUpdater, SchemaRuleValidator, UserInfo } from './hooks.js';
import { checkUnknownFields, defaultObject, validateAgainstSchema } from './schema-pipeline.js';
import { storageResource, type FieldValidation, type Operation, type ResourceDef, type StrategyContext } from './types.js';
import { stringifyJSON } from '../machinery/json-text.js';

export type { FieldValidation } from './types.js';

/** Who is asking and how: built once per request by the wire layer. */
export interface RequestScope {
  cluster: string;
  namespace: string;
  user: UserInfo;
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: FieldValidation;
  /** Accumulates `Warning` header texts. */
  warnings: string[];
}

export interface ListQuery {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
}

export interface DeleteOutcome {
  /** The object's last state, or its state with deletionTimestamp when finalizers hold it. */
  object: KubeObject;
  /** True when it is gone from storage; false when it waits for finalizers. */
  deleted: boolean;
}

export interface GenericStoreOptions {
  store: Store;
  /** Annotate objects with `kcp.io/cluster` and `kcp.io/path` (server mode); physical-cluster mode does not. */
  annotateCluster: boolean;
  /**
   * The logical cluster name of a workspace path, for `kcp.io/cluster` (storage keys stay by path:
   * see docs/kcp-apis.md). Unset: the name is the path.
   */
  clusterName?: (path: string) => string;
  now?: () => Date;
  admission?: AdmissionHook;
  schemaRules?: SchemaRuleValidator;
  managedFields?: ManagedFieldsUpdater;
  /**
   * A cached view of namespaces (the server's shared informer): `(logical cluster name, namespace)`
   * → the Namespace, or undefined when the cache does not have it (or is not synced yet). Used by
   * the namespaced-create check when the store has no cheap local read (etcd: a range request per
   * create). Only a cached live namespace is trusted; absent or terminating is confirmed by a read,
   * as kube's NamespaceLifecycle admission does with its lister.
   */
  cachedNamespace?: (cluster: string, name: string) => KubeObject | undefined;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A patch/apply producer: given the live object (undefined when absent), returns the desired one. */
export type PatchProducer = (live: KubeObject | undefined) => Promise<{ object: KubeObject; managedFieldsSet?: boolean }>;

export class GenericStore {
  readonly store: Store;
  private readonly annotateCluster: boolean;
  private readonly clusterName: (path: string) => string;
  private readonly now: () => Date;
  private readonly admission?: AdmissionHook;
  private readonly schemaRules?: SchemaRuleValidator;
  private readonly managedFields?: ManagedFieldsUpdater;
  private readonly cachedNamespace?: GenericStoreOptions['cachedNamespace'];

  constructor(opts: GenericStoreOptions) {
    this.cachedNamespace = opts.cachedNamespace;
    this.store = opts.store;
    this.annotateCluster = opts.annotateCluster;
    this.clusterName = opts.clusterName ?? ((path) => path);
    this.now = opts.now ?? (() => new Date());
    this.admission = opts.admission;
    this.schemaRules = opts.schemaRules;
    this.managedFields = opts.managedFields;
  }

  key(scope: { cluster: string; namespace: string }, def: ResourceDef, name: string): ObjectKey {
    return { cluster: scope.cluster, resource: storageResource(def), namespace: def.namespaced ? scope.namespace : '', name };
  }

  /** Where an object lives, as kcp annotates it; whatever a client sent there is overwritten. */
  private setClusterAnnotations(obj: KubeObject, path: string): void {
    if (path === '*') return;
    obj.metadata.annotations ??= {};
    obj.metadata.annotations[CLUSTER_ANNOTATION] = this.clusterName(path);
    obj.metadata.annotations[PATH_ANNOTATION] = path;
  }

  // ---------------------------------------------------------------- reads

  async get(scope: RequestScope, def: ResourceDef, name: string): Promise<KubeObject> {
    const obj = await this.store.get(this.key(scope, def, name));
    if (!obj) throw notFound(def, name);
    return obj;
  }

  /**
   * GET as JSON text. A store that keeps objects as text hands it over untouched (no parse and
   * re-serialize on the hot path). A view that overrides `get` (virtual workspaces filter and
   * reshape reads, see virtual/view-store.ts) inherits this method, so it is asked through its
   * own `get`: the fast path must never bypass a view's rules.
   */
  async getRaw(scope: RequestScope, def: ResourceDef, name: string): Promise<string> {
    if (this.get !== GenericStore.prototype.get || !this.store.getRaw) return stringifyJSON(await this.get(scope, def, name));
    const text = await this.store.getRaw(this.key(scope, def, name));
    if (text === undefined) throw notFound(def, name);
    return text;
  }

  /** LIST with items as JSON text; the same fall-back rules as getRaw. */
  async listRaw(scope: RequestScope, def: ResourceDef, q: ListQuery): Promise<RawListResult> {
    if (this.list !== GenericStore.prototype.list || !this.store.listRaw) {
      const r = await this.list(scope, def, q);
      return { ...r, items: r.items.map((o) => stringifyJSON(o)) };
    }
    return this.store.listRaw(this.prefix(scope, def, q), this.listOptions(def, q));
  }

  /** Compiles label and field selectors into one filter, refusing fields the resource cannot select on. */
  compileFilter(def: ResourceDef, q: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>): ((o: KubeObject) => boolean) | undefined {
    const getters = fieldGetters(def);
    for (const r of q.fieldSelector.requirements) {
      if (!getters[r.field]) throw badRequest(`field label not supported: ${r.field}`);
    }
    if (q.labelSelector.isEmpty() && q.fieldSelector.isEmpty()) return undefined;
    const ls = q.labelSelector;
    const fs = q.fieldSelector;
    return (o) => ls.matches(o.metadata.labels) && fs.matches((f) => getters[f](o));
  }

  private prefix(scope: { cluster: string; namespace: string }, def: ResourceDef, q: ListQuery): KeyPrefix {
    const p: KeyPrefix = { cluster: scope.cluster, resource: storageResource(def) };
    if (def.namespaced && scope.namespace) p.namespace = scope.namespace;
    const name = q.fieldSelector.requiredValue('metadata.name');
    if (name !== undefined) p.name = name;
    return p;
  }

  async list(scope: RequestScope, def: ResourceDef, q: ListQuery): Promise<ListResult> {
    return this.store.list(this.prefix(scope, def, q), this.listOptions(def, q));
  }

  private listOptions(def: ResourceDef, q: ListQuery): ListOptions {
    return {
      filter: this.compileFilter(def, q), limit: q.limit, continue: q.continue,
      resourceVersion: q.resourceVersion, resourceVersionMatch: q.resourceVersionMatch,
    };
  }

  watch(scope: RequestScope, def: ResourceDef, q: ListQuery, resourceVersion: string | undefined, handlers: WatchHandlers): Watcher {
    const filter = this.compileFilter(def, q);
    return this.store.watch(this.prefix(scope, def, q), { filter, resourceVersion }, handlers);
  }

  // ---------------------------------------------------------------- create

  /**
   * @param presetManagedFields managedFields already computed by server-side apply (kept as is
   *   instead of being recomputed as an Update).
   * @param bodyOwned the caller hands `body` over (a request body decoded for this request alone):
   *   it is written to in place instead of copied first, one pass less over a large object.
   */
  async create(scope: RequestScope, def: ResourceDef, body: KubeObject,
    presetManagedFields?: KubeObject['metadata']['managedFields'], bodyOwned = false): Promise<KubeObject> {
    const obj = bodyOwned ? body : deepCopy(body);
    checkTypeMeta(def, obj);
    obj.metadata ??= {};
    const meta = obj.metadata;
    this.checkNamespace(scope, def, meta);
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    delete meta.uid;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.now());
    meta.generation = 1;
    if (def.subresources.status) delete obj.status;
    if (this.annotateCluster) this.setClusterAnnotations(obj, scope.cluster);

    if (def.namespaced) await this.requireLiveNamespace(scope, def, meta.name ?? '');

    const ctx = strategyContext(scope, '');
    def.strategy?.prepareForCreate?.(obj, ctx);
    await this.admitAndValidate(scope, def, 'CREATE', obj, undefined, '');
    if (presetManagedFields) obj.metadata.managedFields = presetManagedFields;
    else this.setManagedFields(scope, def, undefined, obj, '');
    if (scope.dryRun) return obj;
    return this.store.create(this.key(scope, def, meta.name!), obj);
  }

  // ---------------------------------------------------------------- update (PUT)

  async update(scope: RequestScope, def: ResourceDef, name: string, body: KubeObject, subresource: string): Promise<KubeObject> {
    checkTypeMeta(def, body);
    const bodyMeta = body.metadata ?? {};
    if (bodyMeta.name && bodyMeta.name !== name)
      throw badRequest(`the name of the object (${bodyMeta.name}) does not match the name on the URL (${name})`);
    this.checkNamespace(scope, def, bodyMeta);
    const rv = bodyMeta.resourceVersion;
    if (!rv && !def.builtin) {
      throw invalid(def.kind, def.group, name, [{
        type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: '0x0',
        detail: 'must be specified for an update',
      }]);
    }
    const key = this.key(scope, def, name);
    const producer: PatchProducer = async () => ({ object: deepCopy(body) });
    const res = await this.writeExisting(scope, def, key, producer, subresource, { allowCreate: false, preconditionRV: rv || undefined });
    return res.object;
  }

  // ---------------------------------------------------------------- patch / apply

  /**
   * Read-modify-write: `producer` computes the desired object from the live one. With
   * `allowCreate` (server-side apply), a missing object is created from the producer's output.
   */
  async patch(scope: RequestScope, def: ResourceDef, name: string, subresource: string, producer: PatchProducer,
    opts: { allowCreate: boolean }): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(scope, def, name);
    if (opts.allowCreate) {
      const live = await this.store.get(key);
      if (!live) {
        if (subresource) throw notFound(def, name);
        const { object } = await producer(undefined);
        object.metadata ??= {};
        if (object.metadata.name && object.metadata.name !== name)
          throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
        object.metadata.name = name;
        if (def.namespaced && scope.namespace) object.metadata.namespace ??= scope.namespace;
        const created = await this.create(scope, def, object, object.metadata.managedFields);
        return { object: created, created: true };
      }
    }
    const res = await this.writeExisting(scope, def, key, producer, subresource, { allowCreate: false });
    return { object: res.object, created: false };
  }

  /**
   * The shared update path for PUT and PATCH: runs inside the store's atomic read-modify-write so a
   * concurrent writer causes a retry or a 409, never a lost update.
   */
  private async writeExisting(scope: RequestScope, def: ResourceDef, key: ObjectKey, producer: PatchProducer,
    subresource: string, opts: { allowCreate: boolean; preconditionRV?: string }): Promise<{ object: KubeObject }> {
    let result: KubeObject | undefined;
    let deleteAfter = false;
    const name = key.name;
    const compute = async (live: KubeObject): Promise<KubeObject> => {
      if (opts.preconditionRV && live.metadata.resourceVersion !== opts.preconditionRV)
        throw conflict(def, name, 'the object has been modified; please apply your changes to the latest version and try again');
      const produced = await producer(deepCopy(live));
      const desired = produced.object;
      checkTypeMeta(def, desired);
      desired.metadata ??= {};
      const requestedRV = desired.metadata.resourceVersion;
      if (requestedRV && requestedRV !== live.metadata.resourceVersion)
        throw conflict(def, name, 'the object has been modified; please apply your changes to the latest version and try again');
      checkIdentity(def, live, desired);
      const next = this.mergeForUpdate(def, live, desired, subresource);
      if (this.annotateCluster) this.setClusterAnnotations(next, scope.cluster);
      def.strategy?.prepareForUpdate?.(next, live, strategyContext(scope, subresource));
      await this.admitAndValidate(scope, def, 'UPDATE', next, live, subresource);
      if (!produced.managedFieldsSet) this.setManagedFields(scope, def, live, next, subresource);
      bumpGeneration(def, live, next);
      if (next.metadata.deletionTimestamp && pendingFinalizers(def, next).length === 0) deleteAfter = true;
      result = next;
      if (scope.dryRun) return live; // store sees no change, writes nothing
      return next;
    };
    let stored: KubeObject;
    try {
      stored = await this.store.update(key, compute);
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'NotFound') throw notFound(def, name);
      throw e;
    }
    if (scope.dryRun) return { object: result! };
    if (deleteAfter) {
      const gone = await this.store.delete(key, { resourceVersion: stored.metadata.resourceVersion }).catch((e) => {
        if (e instanceof StatusError && e.reason === 'NotFound') return stored;
        throw e;
      });
      return { object: gone };
    }
    return { object: stored };
  }

  /** Applies kube's carry-over rules: server fields from live, the status split, deletion fields. */
  private mergeForUpdate(def: ResourceDef, live: KubeObject, desired: KubeObject, subresource: string): KubeObject {
    let next: KubeObject;
    if (subresource === 'status') {
      // /status writes change status only (metadata is the live one)
      next = deepCopy(live);
      if (desired.status === undefined) delete next.status;
      else next.status = desired.status;
      if (desired.metadata?.managedFields) next.metadata.managedFields = desired.metadata.managedFields;
      return next;
    }
    // /scale writes arrive as the whole parent with its replicas changed (registry/scale.ts), so
    // they follow the main resource's carry-over rules
    if (subresource && subresource !== 'scale') throw badRequest(`the server does not support the subresource "${subresource}" for updates`);
    next = desired;
    const m = next.metadata;
    const lm = live.metadata;
    m.name = lm.name;
    if (def.namespaced) m.namespace = lm.namespace;
    else delete m.namespace;
    m.uid = lm.uid;
    m.creationTimestamp = lm.creationTimestamp;
    m.generation = lm.generation;
    m.resourceVersion = lm.resourceVersion;
    if (lm.deletionTimestamp) {
      m.deletionTimestamp = lm.deletionTimestamp;
      m.deletionGracePeriodSeconds = lm.deletionGracePeriodSeconds;
      const added = (m.finalizers ?? []).filter((f) => !(lm.finalizers ?? []).includes(f));
      if (added.length) {
        throw invalid(def.kind, def.group, lm.name ?? '', [{
          type: 'FieldValueForbidden', field: 'metadata.finalizers',
          detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        }]);
      }
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    if (def.subresources.status) {
      if (live.status === undefined) delete next.status;
      else next.status = live.status;
    }
    return next;
  }

  // ---------------------------------------------------------------- delete

  async delete(scope: RequestScope, def: ResourceDef, name: string, opts: DeleteOptions): Promise<DeleteOutcome> {
    const key = this.key(scope, def, name);
    const live = await this.store.get(key);
    if (!live) throw notFound(def, name);
    checkDeletePreconditions(def, name, live, opts);
    const attrsObj = live;
    if (this.admission) {
      await this.admission.validate({
        def, operation: 'DELETE', cluster: scope.cluster, namespace: scope.namespace, name, subresource: '',
        object: undefined, oldObject: attrsObj, user: scope.user, dryRun: scope.dryRun, warnings: scope.warnings,
      });
    }
    const finalizers = pendingFinalizers(def, live);
    if (finalizers.length > 0) {
      if (live.metadata.deletionTimestamp) return { object: live, deleted: false };
      if (scope.dryRun) {
        const marked = deepCopy(live);
        marked.metadata.deletionTimestamp = rfc3339(this.now());
        marked.metadata.deletionGracePeriodSeconds = 0;
        return { object: marked, deleted: false };
      }
      const marked = await this.store.update(key, (cur) => {
        if (cur.metadata.deletionTimestamp) return cur;
        const next = deepCopy(cur);
        next.metadata.deletionTimestamp = rfc3339(this.now());
        next.metadata.deletionGracePeriodSeconds = 0;
        next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
        def.strategy?.prepareForDelete?.(next);
        return next;
      }, opts.preconditions);
      if (pendingFinalizers(def, marked).length > 0) return { object: marked, deleted: false };
    }
    if (scope.dryRun) return { object: live, deleted: true };
    try {
      const gone = await this.store.delete(key, opts.preconditions);
      return { object: gone, deleted: true };
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'NotFound') throw notFound(def, name);
      throw e;
    }
  }

  async deleteCollection(scope: RequestScope, def: ResourceDef, q: ListQuery, opts: DeleteOptions): Promise<KubeObject[]> {
    const { items } = await this.list(scope, def, { ...q, limit: undefined, continue: undefined });
    const out: KubeObject[] = [];
    for (const item of items) {
      const itemScope = { ...scope, namespace: item.metadata.namespace ?? scope.namespace };
      try {
        const r = await this.delete(itemScope, def, item.metadata.name!, { ...opts, preconditions: undefined });
        out.push(r.object);
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- pipeline pieces

  private checkNamespace(scope: RequestScope, def: ResourceDef, meta: KubeObject['metadata']): void {
    if (def.namespaced) {
      if (meta.namespace && scope.namespace && meta.namespace !== scope.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      if (scope.namespace) meta.namespace = scope.namespace;
    } else if (meta.namespace) {
      delete meta.namespace;
    }
  }

  private async requireLiveNamespace(scope: RequestScope, def: ResourceDef, name: string): Promise<void> {
    if (!scope.namespace) {
      throw invalid(def.kind, def.group, name, [{ type: 'FieldValueRequired', field: 'metadata.namespace', detail: '' }]);
    }
    const state = await this.namespaceState(scope.cluster, scope.namespace);
    if (state === 'absent') throw notFound({ group: '', resource: 'namespaces' }, scope.namespace);
    if (state === 'terminating') {
      throw forbidden(def, name, `unable to create new content in namespace ${scope.namespace} because it is being terminated`);
    }
  }

  /**
   * Every namespaced create asks this. From stored text the namespace is only parsed when the text
   * mentions deletionTimestamp at all (an annotation might, so the parsed object decides).
   */
  private async namespaceState(cluster: string, name: string): Promise<'absent' | 'live' | 'terminating'> {
    const key: ObjectKey = { cluster, resource: 'namespaces', namespace: '', name };
    if (!this.store.getRaw && this.cachedNamespace) {
      const cached = this.cachedNamespace(this.clusterName(cluster), name);
      if (cached && !cached.metadata?.deletionTimestamp) return 'live';
    }
    if (this.store.getRaw) {
      const text = await this.store.getRaw(key);
      if (text === undefined) return 'absent';
      if (!text.includes('"deletionTimestamp"')) return 'live';
      return (JSON.parse(text) as KubeObject).metadata.deletionTimestamp ? 'terminating' : 'live';
    }
    const ns = await this.store.get(key);
    if (!ns) return 'absent';
    return ns.metadata.deletionTimestamp ? 'terminating' : 'live';
  }

  private async admitAndValidate(scope: RequestScope, def: ResourceDef, op: Operation, obj: KubeObject,
    old: KubeObject | undefined, subresource: string): Promise<void> {
    checkUnknownFields(def, obj, scope.fieldValidation, scope.warnings);
    defaultObject(def, obj);
    const attrs = {
      def, operation: op, cluster: scope.cluster, namespace: scope.namespace, name: obj.metadata.name ?? '',
      subresource, object: obj, oldObject: old, user: scope.user, dryRun: scope.dryRun, warnings: scope.warnings,
    };
    if (this.admission) await this.admission.mutate(attrs);
    const errs: FieldError[] = validateAgainstSchema(def, obj);
    const ctx = strategyContext(scope, subresource);
    if (def.strategy) {
      const more = op === 'CREATE' ? await def.strategy.validate?.(obj, ctx)
        : await def.strategy.validateUpdate?.(obj, old!, ctx);
      if (more) errs.push(...more);
    }
    // schema and CEL errors go out together in one Invalid Status, as kube's CRD strategy does
    if (this.schemaRules) errs.push(...this.schemaRules(def, obj, old, errs));
    if (errs.length) throw invalid(def.kind, def.group, obj.metadata.name ?? '', errs);
    if (this.admission) await this.admission.validate(attrs);
  }

  private setManagedFields(scope: RequestScope, def: ResourceDef, old: KubeObject | undefined, next: KubeObject, subresource: string): void {
    if (!this.managedFields) return;
    const manager = scope.fieldManager ?? 'unknown';
    const mf = this.managedFields({ def, oldObj: old, newObj: next, manager, subresource, now: this.now() });
    if (mf && mf.length) next.metadata.managedFields = mf;
    else delete next.metadata.managedFields;
  }
}

// ------------------------------------------------------------------ helpers

/**
 * A write may not rename or move an object, nor claim another uid (kube's checkName for name and
 * namespace: 400; the store's uid precondition: 409), instead of having them silently restored.
 */
function checkIdentity(def: ResourceDef, live: KubeObject, desired: KubeObject): void {
  const dm = desired.metadata ?? {};
  const lm = live.metadata;
  if (dm.name && dm.name !== lm.name) {
    throw badRequest(`the name of the object (${dm.name}) does not match the name on the URL (${lm.name})`);
  }
  if (def.namespaced && dm.namespace && dm.namespace !== lm.namespace) {
    throw badRequest(`the namespace of the object (${dm.namespace}) does not match the namespace on the URL (${lm.namespace})`);
  }
  if (dm.uid && dm.uid !== lm.uid) {
    throw conflict(def, lm.name ?? '', `Precondition failed: UID in precondition: ${dm.uid}, UID in object meta: ${lm.uid}`);
  }
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

function strategyContext(scope: RequestScope, subresource: string): StrategyContext {
  return { cluster: scope.cluster, namespace: scope.namespace, user: scope.user, dryRun: scope.dryRun, subresource };
}


/** apiVersion/kind in a body must name this resource; missing ones are filled in. */
export function checkTypeMeta(def: ResourceDef, obj: KubeObject): void {
  const gv = def.group ? `${def.group}/${def.version}` : def.version;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON object');
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = gv;
  if (obj.kind === undefined || obj.kind === '') obj.kind = def.kind;
  if (obj.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
  }
  if (obj.kind !== def.kind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind}) for ${gv}, Resource=${def.resource}`);
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)))
    throw badRequest('metadata must be an object');
  // kube's decoder refuses these before anything reads them (we write the cluster annotation into one)
  for (const field of ['labels', 'annotations'] as const) {
    const m: unknown = obj.metadata?.[field];
    if (m !== undefined && m !== null && (typeof m !== 'object' || Array.isArray(m)))
      throw badRequest(`json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`);
  }
}

/** Bumps metadata.generation when anything but metadata (and status, if split) changed. */
function bumpGeneration(def: ResourceDef, live: KubeObject, next: KubeObject): void {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return def.subresources.status ? rest : { ...rest, status: _s };
  };
  let gen = live.metadata.generation ?? 1;
  if (!deepEqual(strip(live), strip(next))) gen++;
  if (next.metadata.deletionTimestamp && !live.metadata.deletionTimestamp) gen++;
  next.metadata.generation = gen;
}

function checkDeletePreconditions(def: ResourceDef, name: string, live: KubeObject, opts: DeleteOptions): void {
  const p = opts.preconditions;
  if (!p) return;
  if (p.uid && p.uid !== live.metadata.uid)
    throw conflict(def, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${live.metadata.uid}`);
  if (p.resourceVersion && p.resourceVersion !== live.metadata.resourceVersion)
    throw conflict(def, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`);
}

/** Everything that still holds a deleted object: metadata.finalizers plus the strategy's own. */
export function pendingFinalizers(def: ResourceDef, obj: KubeObject): string[] {
  const own = obj.metadata.finalizers ?? [];
  const extra = def.strategy?.extraFinalizers?.(obj) ?? [];
  return extra.length ? [...own, ...extra] : own;
}

function fieldGetters(def: ResourceDef): Record<string, (o: KubeObject) => string | undefined> {
  const g: Record<string, (o: KubeObject) => string | undefined> = {
    'metadata.name': (o) => o.metadata.name,
  };
  if (def.namespaced) g['metadata.namespace'] = (o) => o.metadata.namespace;
  return { ...g, ...(def.strategy?.selectableFields ?? {}) };
}
