/**
 * Field sets of objects: which fields an object (or an applied configuration) sets, how two
 * versions of an object differ, and removing a set of fields from an object — all following the
 * schema (granular maps descend, atomic maps and lists are one leaf, list-type map items are named
 * by their keys `k:{...}`, set items by value `v:<json>`). Objects without a schema still work:
 * unknown maps are granular and unknown lists atomic.
 */
import type { JSONSchemaProps } from '../../registry/types.js';
import { runWalk, type Walk } from '../../machinery/deep-walk.js';
import { isObject, jsonEqual, setOwn } from './json-value.js';
import {
  FieldSet, elementString, fieldElement, indexElement, keyElement, pathString, valueElement,
  type FieldPath, type PathElement,
} from './field-set.js';
import { childSchema, isAtomicMap, isNamedField, itemSchema, listKind, type ListKind } from './schema-nav.js';

export {
  FieldSet, fieldElement, indexElement, keyElement, valueElement, pathString, elementString,
  type FieldPath, type PathElement,
} from './field-set.js';

/**
 * Fields the server owns and never attributes to a manager (the fieldmanager's stripMeta set):
 * identity and server-maintained metadata.
 */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  ['f:apiVersion'], ['f:kind'], ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation',
    'managedFields', 'resourceVersion'].map((f) => ['f:metadata', `f:${f}`]),
);

/** The path element naming `item` (at index `i`) of a list of the given kind. */
export function listItemElement(item: unknown, i: number, lk: ListKind): PathElement {
  if (lk.kind === 'set') return valueElement(item);
  if (lk.kind === 'map' && isObject(item)) {
    const keys: Record<string, unknown> = {};
    for (const k of lk.keys) {
      const v = item[k] !== undefined ? item[k] : lk.defaults?.[k];
      if (v !== undefined) keys[k] = v;
    }
    // An item missing every key cannot be addressed by key; kube rejects it, we fall back to position.
    if (Object.keys(keys).length) return keyElement(keys);
  }
  return indexElement(i);
}

/**
 * Where a walk is: the path as a link to its parent (spelled out only when a message needs it;
 * copying the path at every level cost depth² on deep objects), and for each set the walk writes,
 * the node that holds this position's members (found once, then remembered).
 */
class At {
  /** Per set slot, this position's node once known (most positions never need one). */
  nodes: Array<FieldSet | undefined> | undefined;
  constructor(readonly pe: PathElement, readonly up: At | undefined) {}

  static root(...sets: FieldSet[]): At {
    const at = new At('', undefined);
    at.nodes = sets;
    return at;
  }

  get isRoot(): boolean { return this.up === undefined; }
  child(pe: PathElement): At { return new At(pe, this); }

  path(): FieldPath {
    const p: FieldPath = [];
    for (let x: At | undefined = this; x?.up; x = x.up) p.push(x.pe);
    return p.reverse();
  }

  /** Adds this path to the set in `slot` (set.insert(path), without walking the path). */
  insertInto(slot: number): void {
    if (this.up) this.up.node(slot).members.add(this.pe);
  }

  /** Adds the path of this position's child `pe`, without a position object for it. */
  insertChild(slot: number, pe: PathElement): void {
    this.node(slot).members.add(pe);
  }

  /** The node of the set in `slot` below this path, created when absent. */
  private node(slot: number): FieldSet {
    const known = this.nodes?.[slot];
    if (known) return known;
    const chain: At[] = [];
    let base: FieldSet | undefined;
    for (let x: At | undefined = this; x; x = x.up) {
      base = x.nodes?.[slot];
      if (base) break;
      chain.push(x);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      base = base!.child(chain[i].pe);
      (chain[i].nodes ??= [])[slot] = base;
    }
    return base!;
  }
}

function childOf(s: JSONSchemaProps | undefined, key: string, at: At): JSONSchemaProps | undefined {
  return childSchema(s, key, at.isRoot);
}

/**
 * The fields `value` sets (typed.TypedValue.ToFieldSet): every scalar, atomic list and atomic map
 * is a member; every item of a set or map list is a member; granular maps only contribute their
 * contents.
 */
export function toFieldSet(value: unknown, schema: JSONSchemaProps | undefined): FieldSet {
  const set = new FieldSet();
  function* walk(v: unknown, s: JSONSchemaProps | undefined, at: At): Walk<void> {
    if (Array.isArray(v)) {
      const lk = listKind(s);
      if (lk.kind === 'atomic') { at.insertInto(0); return; }
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        const p = at.child(listItemElement(item, i, lk));
        p.insertInto(0);
        if (isObject(item)) yield walk(item, itemSchema(s), p);
      }
      return;
    }
    if (isObject(v)) {
      if (isAtomicMap(s) && !at.isRoot) { at.insertInto(0); return; }
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x === undefined) continue;
        // most fields are scalars: a member, with no sub-walk and no position object
        if (typeof x !== 'object' || x === null) at.insertChild(0, fieldElement(k));
        else yield walk(x, childOf(s, k, at), at.child(fieldElement(k)));
      }
      return;
    }
    at.insertInto(0);
  }
  runWalk(walk(value, schema, At.root(set)));
  return set;
}

export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

const ADDED = 0, MODIFIED = 1, REMOVED = 2;

/**
 * How `after` differs from `before` (typed.TypedValue.Compare). Leaves are added, removed or
 * modified; a map or list item that appears or disappears as a whole is itself added or removed
 * (that is where fieldsV1's `".":{}` comes from).
 */
export function compare(before: unknown, after: unknown, schema: JSONSchemaProps | undefined): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (a: unknown, b: unknown, at: At): void => {
    if (at.isRoot) return;
    if (a === undefined) at.insertInto(ADDED);
    else if (b === undefined) at.insertInto(REMOVED);
    else if (!jsonEqual(a, b)) at.insertInto(MODIFIED);
  };
  const shape = (v: unknown): string => (Array.isArray(v) ? 'list' : isObject(v) ? 'map' : 'scalar');
  const isScalar = (v: unknown): boolean => typeof v !== 'object' || v === null;
  function* walk(a: unknown, b: unknown, s: JSONSchemaProps | undefined, at: At): Walk<void> {
    if (a === undefined && b === undefined) return;
    const sa = a === undefined ? shape(b) : shape(a);
    const sb = b === undefined ? shape(a) : shape(b);
    if (sa !== sb || sa === 'scalar') { leaf(a, b, at); return; }
    if (sa === 'map') {
      if (isAtomicMap(s) && !at.isRoot) { leaf(a, b, at); return; }
      const ma = (a ?? {}) as Record<string, unknown>;
      const mb = (b ?? {}) as Record<string, unknown>;
      // one side absent (every create): its keys are all there are, no union to build
      const keys = a === undefined ? Object.keys(mb) : b === undefined ? Object.keys(ma) : new Set([...Object.keys(ma), ...Object.keys(mb)]);
      for (const k of keys) {
        const x = Object.hasOwn(ma, k) ? ma[k] : undefined;
        const y = Object.hasOwn(mb, k) ? mb[k] : undefined;
        // most fields are scalars: compared here, with no sub-walk, and a position object only
        // when they differ
        if (isScalar(x) && isScalar(y)) {
          if (x !== y && (x === undefined || y === undefined || !jsonEqual(x, y))) leaf(x, y, at.child(fieldElement(k)));
          continue;
        }
        yield walk(x, y, childOf(s, k, at), at.child(fieldElement(k)));
      }
    } else {
      const lk = listKind(s);
      if (lk.kind === 'atomic') { leaf(a, b, at); return; }
      const ia = indexItems((a ?? []) as unknown[], lk);
      const ib = indexItems((b ?? []) as unknown[], lk);
      for (const pe of new Set([...ia.keys(), ...ib.keys()])) {
        yield walk(ia.get(pe), ib.get(pe), itemSchema(s), at.child(pe));
      }
    }
    leaf(a === undefined ? undefined : 'present', b === undefined ? undefined : 'present', at);
  }
  runWalk(walk(before, after, schema, At.root(out.added, out.modified, out.removed)));
  return out;
}

export function indexItems(list: unknown[], lk: ListKind): Map<PathElement, unknown> {
  const m = new Map<PathElement, unknown>();
  list.forEach((item, i) => {
    const pe = listItemElement(item, i, lk);
    if (!m.has(pe)) m.set(pe, item);
  });
  return m;
}

/**
 * A copy of `value` without the paths in `set` (typed.TypedValue.RemoveItems): a member removes the
 * field or list item with everything below it; children descend. With `dropEmptied`, a map or list
 * that the removal empties goes too (apply's pruning uses this so no `{}` husks remain).
 */
export function removeItems<T>(value: T, set: FieldSet, schema: JSONSchemaProps | undefined, dropEmptied = false): T {
  const emptied = (before: unknown, after: unknown): boolean => dropEmptied && isEmptyContainer(after) && !isEmptyContainer(before);
  function* walk(v: unknown, s: FieldSet, sch: JSONSchemaProps | undefined, atRoot: boolean): Walk<unknown> {
    if (Array.isArray(v)) {
      const lk = listKind(sch);
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        const pe = listItemElement(item, i, lk);
        if (s.members.has(pe)) continue;
        const sub = s.children.get(pe);
        const next: unknown = sub ? yield walk(item, sub, itemSchema(sch), false) : item;
        if (!emptied(item, next)) out.push(next);
      }
      return out;
    }
    if (isObject(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const pe = fieldElement(k);
        if (s.members.has(pe)) continue;
        const sub = s.children.get(pe);
        const next: unknown = sub ? yield walk(v[k], sub, childSchema(sch, k, atRoot), false) : v[k];
        if (!emptied(v[k], next)) setOwn(out, k, next);
      }
      return out;
    }
    return v;
  }
  return runWalk(walk(value, set, schema, true)) as T;
}

function isEmptyContainer(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

/**
 * Makes every struct field on the way to a member a member too (EnsureNamedFieldsAreMembers), so
 * that pruning can remove a whole struct once nobody owns anything in it; keys of maps are not
 * promoted.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: JSONSchemaProps | undefined): FieldSet {
  function* walk(s: FieldSet, sch: JSONSchemaProps | undefined, atRoot: boolean): Walk<FieldSet> {
    const out = new FieldSet();
    for (const m of s.members) out.members.add(m);
    for (const [pe, c] of s.children) {
      if (c.isEmpty()) continue;
      let sub: JSONSchemaProps | undefined;
      if (pe.startsWith('f:')) {
        const name = pe.slice(2);
        sub = childSchema(sch, name, atRoot);
        if (isNamedField(sch, name)) out.members.add(pe);
      } else {
        sub = itemSchema(sch);
      }
      out.children.set(pe, yield walk(c, sub, false));
    }
    return out;
  }
  return runWalk(walk(set, schema, true));
}

/**
 * Every list-map or set in `value` that names one item twice, worded as structured-merge-diff's
 * typed conversion reports it: `.spec.ports: duplicate entries for key [port=80,protocol="TCP"]`.
 * Merging cannot say which of two same-keyed items the applier meant, so apply refuses them.
 */
export function duplicateListEntries(value: unknown, schema: JSONSchemaProps | undefined): string[] {
  const out: string[] = [];
  function* walk(v: unknown, s: JSONSchemaProps | undefined, at: At): Walk<void> {
    if (Array.isArray(v)) {
      const lk = listKind(s);
      if (lk.kind === 'atomic') return;
      const seen = new Set<PathElement>();
      const reported = new Set<PathElement>();
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        const pe = listItemElement(item, i, lk);
        if (seen.has(pe) && !reported.has(pe)) {
          reported.add(pe);
          const what = lk.kind === 'set' ? 'value' : 'key';
          out.push(`${pathString(at.path())}: duplicate entries for ${what} ${elementString(pe)}`);
        }
        seen.add(pe);
        if (isObject(item)) yield walk(item, itemSchema(s), at.child(pe));
      }
      return;
    }
    if (isObject(v)) {
      if (isAtomicMap(s) && !at.isRoot) return;
      for (const k of Object.keys(v)) yield walk(v[k], childOf(s, k, at), at.child(fieldElement(k)));
    }
  }
  runWalk(walk(value, schema, At.root()));
  return out;
}
