/**
 * Merging an applied configuration into the live object the way server-side apply does
 * (typed.TypedValue.Merge): granular maps merge key by key, list-type map and set lists merge item
 * by item (matching by keys or value), and everything else — scalars, atomic lists, atomic maps —
 * is replaced by the applied value.
 */
import type { JSONSchemaProps } from '../../registry/types.js';
import { runWalk, type Walk } from '../../machinery/deep-walk.js';
import { deepClone, isObject, setOwn } from './json-value.js';
import { indexItems, listItemElement } from './fields.js';
import { childSchema, isAtomicMap, itemSchema, listKind, type ListKind } from './schema-nav.js';

export function applyMerge(live: unknown, config: unknown, schema: JSONSchemaProps | undefined): unknown {
  return runWalk(mergeValue(live, config, schema, true));
}

// a walk (machinery/deep-walk.ts): live objects and configurations may be 10 000 levels deep
function* mergeValue(l: unknown, r: unknown, s: JSONSchemaProps | undefined, atRoot: boolean): Walk<unknown> {
  if (r === undefined) return deepClone(l);
  if (l === undefined) return deepClone(r);
  if (isObject(l) && isObject(r) && (atRoot || !isAtomicMap(s))) {
    // Each subtree is copied once, in the live object's key order, applied-only keys after.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(l)) {
      if (l[k] === undefined) continue;
      const rk = Object.hasOwn(r, k) ? r[k] : undefined;
      setOwn(out, k, rk === undefined ? deepClone(l[k]) : yield mergeValue(l[k], rk, childSchema(s, k, atRoot), false));
    }
    for (const k of Object.keys(r)) {
      if (r[k] === undefined || Object.hasOwn(out, k)) continue;
      setOwn(out, k, deepClone(r[k]));
    }
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r)) {
    const lk = listKind(s);
    if (lk.kind !== 'atomic') return yield mergeList(l, r, lk, itemSchema(s));
  }
  return deepClone(r);
}

/**
 * Items of both lists, merged. Order follows structured-merge-diff: items the applied list names
 * come in its order; live-only items keep their place relative to them.
 */
function* mergeList(l: unknown[], r: unknown[], lk: ListKind, s: JSONSchemaProps | undefined): Walk<unknown[]> {
  const lpe = l.map((item, i) => listItemElement(item, i, lk));
  const rpe = r.map((item, i) => listItemElement(item, i, lk));
  const lByPe = indexItems(l, lk);
  const rByPe = indexItems(r, lk);
  const out: unknown[] = [];
  const done = new Set<string>();
  let li = 0;
  for (let ri = 0; ri < rpe.length; ri++) {
    // Live-only items that precede the next shared item stay where they were.
    while (li < lpe.length && !rByPe.has(lpe[li])) {
      if (!done.has(lpe[li])) { done.add(lpe[li]); out.push(deepClone(l[li])); }
      li++;
    }
    if (li < lpe.length && lpe[li] === rpe[ri]) li++;
    const pe = rpe[ri];
    if (!done.has(pe)) {
      done.add(pe);
      out.push(yield mergeValue(lByPe.get(pe), rByPe.get(pe), s, false));
    }
  }
  for (; li < lpe.length; li++) {
    if (!done.has(lpe[li]) && !rByPe.has(lpe[li])) { done.add(lpe[li]); out.push(deepClone(l[li])); }
  }
  return out;
}
