/**
 * Merging an applied configuration into the live object the way server-side apply does
 * (typed.TypedValue.Merge): granular maps merge key by key, list-type map and set lists merge item
 * by item (matching by keys or value), and everything else — scalars, atomic lists, atomic maps —
 * is replaced by the applied value.
 */
import type { JSONSchemaProps } from '../../registry/types.js';
import { deepClone, isObject } from './json-value.js';
import { indexItems, listItemElement } from './fields.js';
import { childSchema, isAtomicMap, itemSchema, listKind, type ListKind } from './schema-nav.js';

export function applyMerge(live: unknown, config: unknown, schema: JSONSchemaProps | undefined): unknown {
  return mergeValue(live, config, schema, true);
}

function mergeValue(l: unknown, r: unknown, s: JSONSchemaProps | undefined, atRoot: boolean): unknown {
  if (r === undefined) return deepClone(l);
  if (l === undefined) return deepClone(r);
  if (isObject(l) && isObject(r) && (atRoot || !isAtomicMap(s))) {
    // Each subtree is copied once, in the live object's key order, applied-only keys after.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(l)) {
      if (l[k] === undefined) continue;
      out[k] = r[k] === undefined ? deepClone(l[k]) : mergeValue(l[k], r[k], childSchema(s, k, atRoot), false);
    }
    for (const k of Object.keys(r)) {
      if (r[k] === undefined || k in out) continue;
      out[k] = mergeValue(undefined, r[k], childSchema(s, k, atRoot), false);
    }
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r)) {
    const lk = listKind(s);
    if (lk.kind !== 'atomic') return mergeList(l, r, lk, itemSchema(s));
  }
  return deepClone(r);
}

/**
 * Items of both lists, merged. Order follows structured-merge-diff: items the applied list names
 * come in its order; live-only items keep their place relative to them.
 */
function mergeList(l: unknown[], r: unknown[], lk: ListKind, s: JSONSchemaProps | undefined): unknown[] {
  const lpe = l.map((item, i) => listItemElement(item, i, lk));
  const rpe = r.map((item, i) => listItemElement(item, i, lk));
  const lByPe = indexItems(l, lk);
  const rByPe = indexItems(r, lk);
  const out: unknown[] = [];
  const done = new Set<string>();
  const emitR = (pe: string): void => {
    if (done.has(pe)) return;
    done.add(pe);
    out.push(mergeValue(lByPe.get(pe), rByPe.get(pe), s, false));
  };
  let li = 0;
  for (let ri = 0; ri < rpe.length; ri++) {
    // Live-only items that precede the next shared item stay where they were.
    while (li < lpe.length && !rByPe.has(lpe[li])) {
      if (!done.has(lpe[li])) { done.add(lpe[li]); out.push(deepClone(l[li])); }
      li++;
    }
    if (li < lpe.length && lpe[li] === rpe[ri]) li++;
    emitR(rpe[ri]);
  }
  for (; li < lpe.length; li++) {
    if (!done.has(lpe[li]) && !rByPe.has(lpe[li])) { done.add(lpe[li]); out.push(deepClone(l[li])); }
  }
  return out;
}
