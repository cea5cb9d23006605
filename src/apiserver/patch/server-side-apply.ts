/**
 * Server-side apply (the fieldmanager's Apply path over structured-merge-diff's Updater.Apply).
 *
 * 1. The applied configuration is merged into the live object following the schema.
 * 2. The manager's Apply entry becomes exactly the fields of the configuration.
 * 3. Fields the manager applied last time, omits now, and nobody else owns are removed.
 * 4. Fields that change and are owned by another manager are conflicts: 409 unless `force`, which
 *    takes them over.
 */
import { rfc3339 } from '../../apis/time.js';
import type { JSONSchemaProps } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { badRequest, invalid, StatusError, type StatusCause } from '../../errors/status.js';
import { deepClone, isObject, jsonEqual, setOwn } from './json-value.js';
import {
  compare, duplicateListEntries, FieldSet, pathString, removeItems, toFieldSet,
  type FieldPath,
} from './fields.js';
import {
  BEFORE_FIRST_APPLY_MANAGER, capUpdateManagers, decodeManagedFields, describeManager,
  encodeManagedFields, managerKey, withoutUnownedFields, takeOwnership,
  type ManagedFieldsEntry, type Managers, type ManagerState,
} from './managed-fields.js';
import { applyMerge } from './apply-merge.js';

export interface ServerSideApplyOptions {
  /** undefined when the apply creates the object. */
  liveObj?: KubeObject;
  appliedObj: KubeObject;
  manager: string;
  force?: boolean;
  /** The apiVersion of the request, e.g. `apps/v1`. */
  apiVersion: string;
  subresource?: string;
  schema?: JSONSchemaProps;
  now: Date;
  /** Fields this write may not own (see resetFieldsFor). */
  resetFields?: FieldSet;
  /**
   * The type's defaulting, applied in place. The merged object is compared with the live one as
   * it will be stored — defaulted — so an unchanged manifest whose atomic lists the server
   * defaults (a StatefulSet's volumeClaimTemplates) changes nothing and conflicts with nobody.
   */
  defaults?: (obj: KubeObject) => void;
}

export interface ServerSideApplyResult {
  /** The new object, with metadata.managedFields set. */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
  /** false when the apply changed nothing in the object (managedFields may still change). */
  changed: boolean;
}

export interface FieldConflict { manager: ManagerState; path: FieldPath }

/** 409 worded as apimachinery's managedfields NewConflictError (no "Operation cannot be fulfilled" prefix). */
export function applyConflictError(conflicts: FieldConflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => {
    const ma = describeManager(a.manager), mb = describeManager(b.manager);
    if (ma !== mb) return ma < mb ? -1 : 1;
    const pa = pathString(a.path), pb = pathString(b.path);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  const causes: StatusCause[] = sorted.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(sorted[0].manager)}: ${pathString(sorted[0].path)}`;
  } else {
    const lines: string[] = [];
    let last = '';
    for (const c of sorted) {
      const m = describeManager(c.manager);
      if (m !== last) { lines.push(`conflicts with ${m}:`); last = m; }
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

/**
 * PatchOptions validation for the caller (apimachinery ValidatePatchOptions): apply needs a
 * fieldManager; `force` is only for apply; manager names are at most 128 characters.
 */
export function validatePatchOptions(o: { patchType: 'json' | 'merge' | 'strategic' | 'apply'; fieldManager?: string; force?: boolean }): void {
  const errs: Parameters<typeof invalid>[3] = [];
  if (o.patchType === 'apply') {
    if (!o.fieldManager) errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  } else if (o.force !== undefined) {
    errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  }
  if (o.fieldManager && o.fieldManager.length > 128) {
    errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: 'may not be more than 128 bytes' });
  }
  if (errs.length) throw invalid('PatchOptions', 'meta.k8s.io', '', errs);
}

/** Drops null-valued fields: in an applied configuration a null says "no opinion", not "own a null". */
function withoutNulls(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  // level by level from an explicit stack: an applied configuration may be 10 000 levels deep
  const root: unknown = Array.isArray(v) ? [] : {};
  const pending: Array<[from: unknown, to: unknown]> = [[v, root]];
  const step = (x: unknown): unknown => {
    if (typeof x !== 'object' || x === null) return x;
    const c: unknown = Array.isArray(x) ? [] : {};
    pending.push([x, c]);
    return c;
  };
  while (pending.length) {
    const [from, to] = pending.pop()!;
    if (Array.isArray(from)) {
      for (const x of from) (to as unknown[]).push(step(x));
    } else {
      for (const [k, x] of Object.entries(from as Record<string, unknown>)) if (x !== null && x !== undefined) setOwn(to as Record<string, unknown>, k, step(x));
    }
  }
  return root;
}

/** 400 for an applied list naming one item twice (kube answers the same text, as a 500). */
function checkNoDuplicates(config: KubeObject, schema: JSONSchemaProps | undefined): void {
  const dups = duplicateListEntries(config, schema);
  if (!dups.length) return;
  const md = config.metadata ?? {};
  const [group, version] = String(config.apiVersion).includes('/') ? String(config.apiVersion).split('/') : ['', String(config.apiVersion)];
  const what = `${md.namespace ? md.namespace + '/' : ''}${md.name ?? ''}; ${group}/${version}, Kind=${config.kind}`;
  const body = dups.length === 1 ? dups[0] : `errors:\n  ${dups.join('\n  ')}`;
  throw badRequest(`failed to create typed patch object (${what}): ${body}`);
}

function checkAppliedObject(applied: KubeObject, live: KubeObject | undefined): void {
  if (!isObject(applied)) throw badRequest('the applied configuration must be an object');
  if (!applied.kind) throw badRequest("Object 'Kind' is missing in apply patch");
  if (!applied.apiVersion) throw badRequest("Object 'apiVersion' is missing in apply patch");
  if (applied.metadata?.managedFields != null) throw badRequest('metadata.managedFields must be nil');
  if (live && live.kind && applied.kind !== live.kind) {
    throw badRequest(`the kind of the applied configuration (${applied.kind}) does not match the object's kind (${live.kind})`);
  }
}

export function serverSideApply(o: ServerSideApplyOptions): ServerSideApplyResult {
  checkAppliedObject(o.appliedObj, o.liveObj);
  const schema = o.schema;
  const live: KubeObject = o.liveObj ? stripManaged(o.liveObj) : ({ metadata: {} } as KubeObject);
  const config = withoutNulls(o.appliedObj) as KubeObject;
  checkNoDuplicates(config, schema);

  const managers = managersBeforeApply(o.liveObj, live, schema, o.resetFields);
  const self: ManagerState = {
    manager: o.manager, operation: 'Apply', apiVersion: o.apiVersion,
    subresource: o.subresource ?? '', time: rfc3339(o.now), set: new FieldSet(),
  };
  const selfKey = managerKey(self);
  const previous = managers.get(selfKey);
  const lastSet = previous?.set;
  self.set = withoutUnownedFields(toFieldSet(config, schema), o.resetFields);
  managers.set(selfKey, self);

  let merged = applyMerge(live, config, schema) as KubeObject;
  if (lastSet && !lastSet.isEmpty()) merged = prune(merged, lastSet, managers, schema);

  // An apply that creates the object has no other manager and nothing live: nothing can conflict,
  // nothing is taken from anyone and the object changes (it has at least kind and apiVersion), so
  // the defaulted copy and its comparison with the empty live object (a sync burst's every copy
  // is such a create) would decide nothing.
  let objectChanged = true;
  if (o.liveObj) {
    const asStored = o.defaults ? defaulted(merged, o.defaults) : merged;
    const cmp = compare(live, asStored, schema);
    const changed = withoutUnownedFields(cmp.added.union(cmp.modified), o.resetFields);
    const conflicts: FieldConflict[] = [];
    for (const [key, m] of managers) {
      if (key === selfKey) continue;
      for (const path of m.set.intersection(changed).paths()) conflicts.push({ manager: m, path });
    }
    if (conflicts.length && !o.force) throw applyConflictError(conflicts);
    // Forced (or conflict-free): changed fields leave the other managers, removed ones leave everyone.
    takeOwnership(managers, selfKey, changed, withoutUnownedFields(cmp.removed, o.resetFields));
    managers.set(selfKey, self);

    objectChanged = !jsonEqual(live, asStored);
    if (!objectChanged && previous && previous.set.equals(self.set)) self.time = previous.time;
  }
  capUpdateManagers(managers);
  const managedFields = encodeManagedFields(managers);
  // merged is already a fresh tree (applyMerge copies), so it can be returned as is.
  const object = merged;
  object.metadata = { ...(object.metadata ?? {}) };
  if (managedFields.length) object.metadata.managedFields = managedFields as unknown as Array<Record<string, unknown>>;
  else delete object.metadata.managedFields;
  return { object, managedFields, changed: objectChanged };
}

function defaulted(obj: KubeObject, defaults: (o: KubeObject) => void): KubeObject {
  const c = deepClone(obj);
  defaults(c);
  return c;
}

function stripManaged(obj: KubeObject): KubeObject {
  const c = deepClone(obj);
  if (c.metadata) delete c.metadata.managedFields;
  return c;
}

/**
 * Managers of the live object. An object that exists but has no managedFields (created before
 * field management, or reset) is owned whole by `before-first-apply`, so a first apply cannot
 * silently take over fields someone else set.
 */
function managersBeforeApply(liveObj: KubeObject | undefined, live: KubeObject, schema: JSONSchemaProps | undefined, resetFields: FieldSet | undefined): Managers {
  const managers = decodeManagedFields(liveObj?.metadata?.managedFields);
  if (liveObj && managers.size === 0) {
    const set = withoutUnownedFields(toFieldSet(live, schema), resetFields);
    if (!set.isEmpty()) {
      const m: ManagerState = {
        manager: BEFORE_FIRST_APPLY_MANAGER, operation: 'Update',
        apiVersion: String(liveObj.apiVersion ?? ''), subresource: '', set,
      };
      managers.set(managerKey(m), m);
    }
  }
  return managers;
}

/**
 * Removes what the manager applied before and no longer applies (Updater.prune): a path goes only
 * when no manager — the applier's new configuration included — owns it or anything below it. So a
 * parent that kubectl's client-side→server-side migration recorded as owned (`".": {}`) stays while
 * anyone still owns one of its children. A removed list item goes with everything inside it, and
 * maps or lists left empty by the removal go too.
 */
function prune(merged: KubeObject, lastSet: FieldSet, managers: Managers, schema: JSONSchemaProps | undefined): KubeObject {
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const toRemove = lastSet.notOwnedBy(owned);
  return toRemove.isEmpty() ? merged : removeItems(merged, toRemove, schema, true);
}
