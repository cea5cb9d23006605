/**
 * metadata.managedFields: decoding entries into per-manager field sets, encoding them back in
 * kube's order, and the ownership bookkeeping for non-apply writes (create, update, patch).
 *
 * A manager is identified by (manager, operation, apiVersion for Update, subresource); the same
 * name used for Apply and for Update is two entries, as in kube.
 */
import { rfc3339 } from '../../apis/time.js';
import type { JSONSchemaProps } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { compare, FieldSet, STRIPPED_FIELDS } from './fields.js';

export type ManagedFieldsOperation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One manager's ownership while a write is being computed. */
export interface ManagerState {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  subresource: string;
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagerState>;

/** kube keeps at most this many Update entries; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';
/** Owner of every field of an object that had no managedFields when it was first applied to. */
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

/** The identity key (BuildManagerIdentifier): appliers keep one entry whatever apiVersion they use. */
export function managerKey(m: Pick<ManagerState, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Update' ? m.apiVersion : '', m.subresource]);
}

/** How kube names a manager in conflict messages (printManager). */
export function describeManager(m: Pick<ManagerState, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/**
 * Decodes managedFields leniently: an entry that is not well formed is skipped rather than failing
 * the write (kube falls back to empty managed fields on decode errors).
 */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (r.operation !== 'Apply' && r.operation !== 'Update') continue;
    if (r.fieldsType !== undefined && r.fieldsType !== 'FieldsV1') continue;
    let set: FieldSet;
    try { set = FieldSet.fromFieldsV1(r.fieldsV1 ?? {}); } catch { continue; }
    const st: ManagerState = {
      manager: typeof r.manager === 'string' ? r.manager : '',
      operation: r.operation,
      apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '',
      subresource: typeof r.subresource === 'string' ? r.subresource : '',
      time: typeof r.time === 'string' ? r.time : undefined,
      set,
    };
    const key = managerKey(st);
    const prev = out.get(key);
    out.set(key, prev ? { ...st, set: prev.set.union(set) } : st);
  }
  return out;
}

/** Entries in kube's order: operation, then time, then manager, apiVersion, subresource. Empty sets are dropped. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !m.set.isEmpty());
  list.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const pt = p.time ? Date.parse(p.time) / 1000 | 0 : 0;
    const qt = q.time ? Date.parse(q.time) / 1000 | 0 : 0;
    if (pt !== qt) return pt - qt;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return p.subresource < q.subresource ? -1 : p.subresource > q.subresource ? 1 : 0;
  });
  return list.map((m) => {
    const e: ManagedFieldsEntry = {
      manager: m.manager, operation: m.operation, apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1', fieldsV1: m.set.toFieldsV1(),
    };
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

/**
 * Which managedFields a write starts from (decodeLiveOrNew): `[]` in the request resets them;
 * entries in the request are taken as given; otherwise the live object's are kept, so clients that
 * do not know about managedFields cannot drop them by accident.
 */
export function managersForWrite(oldObj: KubeObject | undefined, newObj: KubeObject): Managers {
  const requested = newObj.metadata?.managedFields;
  if (Array.isArray(requested)) {
    if (requested.length === 0) return new Map();
    if (requested.length === 1 && Object.keys(requested[0] ?? {}).length === 0) return new Map();
    const m = decodeManagedFields(requested);
    if (m.size) return m;
  }
  return decodeManagedFields(oldObj?.metadata?.managedFields);
}

/**
 * `set` without what a manager is never credited with: server-owned metadata (those exact paths)
 * and the caller's reset fields (whole subtrees).
 */
export function withoutUnownedFields(set: FieldSet, resetFields?: FieldSet): FieldSet {
  const s = set.difference(STRIPPED_FIELDS);
  return resetFields ? s.recursiveDifference(resetFields) : s;
}

/**
 * Fields that belong to the other half of an object with a status subresource
 * (strategy.GetResetFields): writes to the main resource do not own `status`, writes to `/status`
 * do not own `spec`.
 */
export function resetFieldsFor(subresource: string, hasStatusSubresource: boolean): FieldSet | undefined {
  if (!hasStatusSubresource) return undefined;
  if (subresource === 'status') return FieldSet.of(['f:spec']);
  if (!subresource) return FieldSet.of(['f:status']);
  return undefined;
}

export interface UpdateManagedFieldsOptions {
  /** undefined on create. */
  oldObj?: KubeObject;
  newObj: KubeObject;
  manager: string;
  operation?: 'Update';
  /** The apiVersion the request was made in, e.g. `apps/v1`. */
  apiVersion: string;
  subresource?: string;
  schema?: JSONSchemaProps;
  now: Date;
  /** Extra fields nobody owns for this write (see resetFieldsFor). */
  resetFields?: FieldSet;
}

/** Ownership after `compare`-style changes: changed fields leave every other manager; removed ones leave all. */
export function takeOwnership(managers: Managers, selfKey: string | undefined, changed: FieldSet, removed: FieldSet): void {
  for (const [key, m] of managers) {
    let set = m.set;
    if (key !== selfKey && !changed.isEmpty()) set = set.difference(changed);
    if (!removed.isEmpty()) set = set.difference(removed);
    if (set.isEmpty()) managers.delete(key);
    else if (set !== m.set) managers.set(key, { ...m, set });
  }
}

/**
 * managedFields after a non-apply write (the fieldmanager's Update path): the manager gains the
 * fields it added or changed, other managers lose them, removed fields leave everyone, entries
 * that own nothing are dropped, and the manager's time moves to `now` only if it changed
 * something. Returns the new list; the caller stores it in `newObj.metadata.managedFields`
 * (delete the key when the list is empty).
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  const managers = managersForWrite(o.oldObj, o.newObj);
  const cmp = compare(o.oldObj ?? {}, o.newObj, o.schema);
  const changed = withoutUnownedFields(cmp.added.union(cmp.modified), o.resetFields);
  const removed = withoutUnownedFields(cmp.removed, o.resetFields);
  takeOwnership(managers, undefined, changed, removed);

  if (!changed.isEmpty()) {
    const self: ManagerState = {
      manager: o.manager, operation: 'Update', apiVersion: o.apiVersion,
      subresource: o.subresource ?? '', time: rfc3339(o.now), set: changed,
    };
    const key = managerKey(self);
    const prev = managers.get(key);
    managers.set(key, prev ? { ...self, set: prev.set.union(changed) } : self);
  }
  capUpdateManagers(managers);
  return encodeManagedFields(managers);
}

/** Keeps the newest MAX_UPDATE_MANAGERS Update entries, folding older ones into `ancient-changes`. */
export function capUpdateManagers(managers: Managers): void {
  const updates = [...managers.entries()].filter(([, m]) => m.operation === 'Update' && m.manager !== ANCIENT_CHANGES_MANAGER);
  if (updates.length + (hasAncient(managers) ? 1 : 0) <= MAX_UPDATE_MANAGERS) return;
  updates.sort(([, a], [, b]) => (a.time ?? '').localeCompare(b.time ?? ''));
  // ancient-changes counts as one of the MAX_UPDATE_MANAGERS entries.
  const excess = updates.slice(0, updates.length - (MAX_UPDATE_MANAGERS - 1));
  let ancient = [...managers.values()].find((m) => m.manager === ANCIENT_CHANGES_MANAGER && m.operation === 'Update');
  for (const [key, m] of excess) {
    managers.delete(key);
    ancient = ancient
      ? { ...ancient, set: ancient.set.union(m.set) }
      : { manager: ANCIENT_CHANGES_MANAGER, operation: 'Update', apiVersion: m.apiVersion, subresource: '', set: m.set };
  }
  if (ancient) managers.set(managerKey(ancient), ancient);
}

function hasAncient(managers: Managers): boolean {
  for (const m of managers.values()) if (m.manager === ANCIENT_CHANGES_MANAGER) return true;
  return false;
}

/** The manager name kube derives when a request names none: the user agent up to its first `/`. */
export function defaultFieldManager(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0];
  return name.slice(0, 128);
}
