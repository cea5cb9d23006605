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
import { runWalk, type Walk } from '../../machinery/deep-walk.js';
import { deepClone, isObject, jsonEqual, setOwn, type JsonObject } from './json-value.js';
import { malformedPatch, patchNotApplicable } from './patch-errors.js';
import { childSchema, itemSchema, listKind, patchStrategies } from './schema-nav.js';
import { stringifyJSON } from '../../machinery/json-text.js';

const DELETE = Symbol('delete');
const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Applies a strategic merge patch to a copy of `original`; the patch must be a JSON object (400 otherwise). */
export function strategicMergePatch<T extends JsonObject>(original: T, patch: unknown, schema: JSONSchemaProps | undefined): T {
  if (!isObject(patch)) throw malformedPatch('invalid JSON document');
  // copied once, then merged into in place: copying each level's subtree again at every level
  // below it was quadratic in the depth, and patches may be 10 000 levels deep
  const out = runWalk(mergeMap(deepClone(original), patch, schema, true));
  if (out === DELETE) return {} as T;
  return out as T;
}

/** A key's own value (never an inherited one: `__proto__` is an ordinary key in JSON). */
function own(o: JsonObject, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Merges `patch` into `into` (the result's own copy, changed in place), or into {} when absent. */
function* mergeMap(into: JsonObject | undefined, patch: JsonObject, s: JSONSchemaProps | undefined, atRoot: boolean): Walk<JsonObject | typeof DELETE> {
  const directive = patch[PATCH];
  if (directive !== undefined) {
    if (directive === 'delete') return DELETE;
    if (directive === 'replace') return (yield stripDirectives(withoutKey(patch, PATCH))) as JsonObject;
    if (directive !== 'merge') throw malformedPatch(`Unknown patch type: ${String(directive)} in map: ${stringifyJSON(patch)}`);
  }
  const out: JsonObject = into ?? {};

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
    const cur = own(out, field);
    if (Array.isArray(cur)) setOwn(out, field, cur.filter((v) => !values.some((d) => jsonEqual(d, v))));
  }

  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) { delete out[k]; continue; }
    if (v === undefined) continue;
    const cs = childSchema(s, k, atRoot);
    const cur = own(out, k);
    if (isObject(v)) {
      const merged: JsonObject | typeof DELETE = yield mergeMap(isObject(cur) ? cur : undefined, v, cs, false);
      if (merged === DELETE) delete out[k];
      else setOwn(out, k, merged);
    } else if (Array.isArray(v)) {
      setOwn(out, k, yield mergeList(Array.isArray(cur) ? cur : undefined, v, cs));
    } else {
      setOwn(out, k, v);
    }
  }

  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = k.slice(SET_ELEMENT_ORDER.length);
    if (!Array.isArray(order)) throw malformedPatch('invalid patch format of setElementOrder list');
    const cur = own(out, field);
    if (Array.isArray(cur)) setOwn(out, field, applyOrder(cur, order, mergeKeys(childSchema(s, field, atRoot))));
  }
  return out;
}

function withoutKey(o: JsonObject, key: string): JsonObject {
  const c: JsonObject = {};
  for (const k of Object.keys(o)) if (k !== key) setOwn(c, k, o[k]);
  return c;
}

/** A new value taken from a patch keeps no directives (kube strips them when there is nothing to merge into). */
function* stripDirectives(v: unknown): Walk<unknown> {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) if (!(isObject(x) && x[PATCH] !== undefined && Object.keys(x).length === 1)) out.push(yield stripDirectives(x));
    return out;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) setOwn(out, k, yield stripDirectives(x));
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

/** Merges `patch` into `into` (the result's own copy, changed in place). */
function* mergeList(into: unknown[] | undefined, patch: unknown[], s: JSONSchemaProps | undefined): Walk<unknown[]> {
  if (patch.some(Array.isArray) && shouldMergeList(s)) throw patchNotApplicable('lists of lists are not supported');
  const replaceItem = patch.findIndex((x) => isObject(x) && x[PATCH] === 'replace');
  if (replaceItem >= 0) return (yield stripDirectives(patch.filter((_, i) => i !== replaceItem))) as unknown[];
  if (!shouldMergeList(s) || into === undefined) return (yield stripDirectives(patch)) as unknown[];

  const out = into;
  if (patch.every((x) => !isObject(x))) {
    // Primitive list with merge strategy: union, keeping the original order and appending new values.
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  }
  const keys = mergeKeys(s);
  if (!keys) return (yield stripDirectives(patch)) as unknown[];
  const is = itemSchema(s);
  for (const item of patch) {
    if (!isObject(item)) throw malformedPatch('invalid JSON document');
    const directive = item[PATCH];
    if (keys.some((k) => item[k] === undefined)) {
      throw malformedPatch(`map: ${stringifyJSON(item)} does not contain declared merge key: ${keys.join(',')}`);
    }
    const at = out.findIndex((o) => sameKey(o, item, keys));
    if (directive === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (sameKey(out[i], item, keys)) out.splice(i, 1);
      continue;
    }
    const merged: JsonObject | typeof DELETE = yield mergeMap(at >= 0 && isObject(out[at]) ? out[at] as JsonObject : undefined, item, is, false);
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
