/**
 * Strategic merge patch (k8s.io/apimachinery strategicpatch) for built-in types, driven by the
 * schema's `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` (a list-type map's keys
 * stand in for a missing merge key). Where the schema says nothing, merge-patch rules apply: maps
 * merge, lists and scalars are replaced, null deletes.
 *
 * Directives: `$patch: replace|delete|merge` (in a map, or as a list item), `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
 */
import type { JSONSchemaProps } from '../../registry/types.js';
import { deepClone, isObject, jsonEqual, type JsonObject } from './json-value.js';
import { malformedPatch, patchNotApplicable } from './patch-errors.js';
import { childSchema, itemSchema, listKind, patchStrategies } from './schema-nav.js';

const DELETE = Symbol('delete');
const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Applies a strategic merge patch to a copy of `original`; the patch must be a JSON object (400 otherwise). */
export function strategicMergePatch<T extends JsonObject>(original: T, patch: unknown, schema: JSONSchemaProps | undefined): T {
  if (!isObject(patch)) throw malformedPatch('invalid JSON document');
  const out = mergeMap(original, patch, schema, true);
  if (out === DELETE) return {} as T;
  return out as T;
}

function mergeMap(orig: JsonObject | undefined, patch: JsonObject, s: JSONSchemaProps | undefined, atRoot: boolean): JsonObject | typeof DELETE {
  const directive = patch[PATCH];
  if (directive !== undefined) {
    if (directive === 'delete') return DELETE;
    if (directive === 'replace') return stripDirectives(withoutKey(patch, PATCH)) as JsonObject;
    if (directive !== 'merge') throw malformedPatch(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const out: JsonObject = isObject(orig) ? deepClone(orig) : {};

  if (RETAIN_KEYS in patch) {
    const keep = patch[RETAIN_KEYS];
    if (!Array.isArray(keep) || keep.some((k) => typeof k !== 'string')) throw malformedPatch('invalid patch format of retainKeys');
    for (const k of Object.keys(patch)) {
      if (!k.startsWith('$') && !keep.includes(k)) throw patchNotApplicable("patch content doesn't match retainKeys list");
    }
    for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
  }

  for (const [k, values] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    const field = k.slice(DELETE_FROM_PRIMITIVE.length);
    if (!Array.isArray(values)) throw malformedPatch('invalid patch format of primitive list');
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = cur.filter((v) => !values.some((d) => jsonEqual(d, v)));
  }

  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) { delete out[k]; continue; }
    if (v === undefined) continue;
    const cs = childSchema(s, k, atRoot);
    if (isObject(v)) {
      const merged = mergeMap(isObject(out[k]) ? out[k] as JsonObject : undefined, v, cs, false);
      if (merged === DELETE) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? out[k] as unknown[] : undefined, v, cs);
    } else {
      out[k] = v;
    }
  }

  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = k.slice(SET_ELEMENT_ORDER.length);
    if (!Array.isArray(order)) throw malformedPatch('invalid patch format of setElementOrder list');
    if (Array.isArray(out[field])) out[field] = applyOrder(out[field] as unknown[], order, mergeKeys(childSchema(s, field, atRoot)));
  }
  return out;
}

function withoutKey(o: JsonObject, key: string): JsonObject {
  const c = { ...o };
  delete c[key];
  return c;
}

/** A new value taken from a patch keeps no directives (kube strips them when there is nothing to merge into). */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x[PATCH] !== undefined && Object.keys(x).length === 1)).map(stripDirectives);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
    return out;
  }
  return v;
}

function mergeKeys(s: JSONSchemaProps | undefined): string[] | undefined {
  const mk = s?.['x-kubernetes-patch-merge-key'];
  if (mk) return [mk];
  const lk = listKind(s);
  return lk.kind === 'map' ? lk.keys : undefined;
}

function shouldMergeList(s: JSONSchemaProps | undefined): boolean {
  return patchStrategies(s).includes('merge') || listKind(s).kind === 'map';
}

function sameKey(a: unknown, b: unknown, keys: string[]): boolean {
  return isObject(a) && isObject(b) && keys.every((k) => jsonEqual(a[k], b[k]));
}

function mergeList(orig: unknown[] | undefined, patch: unknown[], s: JSONSchemaProps | undefined): unknown[] {
  if (patch.some(Array.isArray) && shouldMergeList(s)) throw patchNotApplicable('lists of lists are not supported');
  const replaceItem = patch.findIndex((x) => isObject(x) && x[PATCH] === 'replace');
  if (replaceItem >= 0) return stripDirectives(patch.filter((_, i) => i !== replaceItem)) as unknown[];
  if (!shouldMergeList(s) || orig === undefined) return stripDirectives(patch) as unknown[];

  const out = deepClone(orig);
  if (patch.every((x) => !isObject(x))) {
    // Primitive list with merge strategy: union, keeping the original order and appending new values.
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  }
  const keys = mergeKeys(s);
  if (!keys) return stripDirectives(patch) as unknown[];
  const is = itemSchema(s);
  for (const item of patch) {
    if (!isObject(item)) throw malformedPatch('invalid JSON document');
    const directive = item[PATCH];
    if (keys.some((k) => item[k] === undefined)) {
      throw malformedPatch(`map: ${JSON.stringify(item)} does not contain declared merge key: ${keys.join(',')}`);
    }
    const at = out.findIndex((o) => sameKey(o, item, keys));
    if (directive === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (sameKey(out[i], item, keys)) out.splice(i, 1);
      continue;
    }
    const merged = mergeMap(at >= 0 && isObject(out[at]) ? out[at] as JsonObject : undefined, item, is, false);
    if (merged === DELETE) { if (at >= 0) out.splice(at, 1); continue; }
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return out;
}

/**
 * `$setElementOrder`: items named in the order list come first, in its order; items it does not
 * name (added by others on the server) follow in their current relative order.
 */
function applyOrder(list: unknown[], order: unknown[], keys: string[] | undefined): unknown[] {
  const matches = (item: unknown, o: unknown): boolean => (keys && isObject(o) ? sameKey(item, o, keys) : jsonEqual(item, o));
  const placed = new Set<number>();
  const out: unknown[] = [];
  for (const o of order) {
    const i = list.findIndex((item, idx) => !placed.has(idx) && matches(item, o));
    if (i >= 0) { placed.add(i); out.push(list[i]); }
  }
  list.forEach((item, i) => { if (!placed.has(i)) out.push(item); });
  return out;
}
