/**
 * Structural defaulting (apiextensions structuraldefaulting.Default) and the null pruning that
 * follows it (PruneNonNullableNullsWithoutDefaults): missing properties get a deep copy of their
 * default, recursively, inside arrays and additionalProperties too; a `null` where the schema is not
 * nullable is replaced by the default, or dropped when there is none.
 */
import type { JSONSchemaProps } from '../types.js';
import { deepCopy, isPlainObject } from './values.js';

/** Applies defaults and drops non-nullable nulls, in place. Returns the (same) object. */
export function applyDefaults<T>(schema: JSONSchemaProps, obj: T): T {
  defaultNode(schema, obj);
  dropNulls(schema, obj, true);
  return obj;
}

const isNonNullableNull = (v: unknown, s: JSONSchemaProps): boolean => v === null && !s.nullable;

/**
 * Whether defaulting or null-dropping can change anything inside a value of schema `s`: only a
 * default or a nested object/array schema can. A wide map of scalars (a 200 000-key ConfigMap's
 * data) is then skipped instead of being walked twice for nothing.
 */
const mayChangeCache = new WeakMap<JSONSchemaProps, boolean>();
function mayChangeInside(s: JSONSchemaProps): boolean {
  let v = mayChangeCache.get(s);
  if (v === undefined) {
    v = s.properties !== undefined || s.items !== undefined || isPlainObject(s.additionalProperties)
      || s['x-kubernetes-preserve-unknown-fields'] === true || s.type === undefined || s.type === 'object' || s.type === 'array';
    mayChangeCache.set(s, v);
  }
  return v;
}

function defaultNode(s: JSONSchemaProps, x: unknown): void {
  if (Array.isArray(x)) {
    const items = s.items;
    if (!items) return;
    x.forEach((v, i) => {
      if (isNonNullableNull(v, items) && items.default !== undefined) x[i] = deepCopy(items.default);
      defaultNode(items, x[i]);
    });
    return;
  }
  if (!isPlainObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in x) || isNonNullableNull(x[k], prop)) x[k] = deepCopy(prop.default);
  }
  const additional = isPlainObject(s.additionalProperties) && mayChangeInside(s.additionalProperties) ? s.additionalProperties : undefined;
  if (!s.properties && !additional) return;
  for (const k in x) {
    const prop = s.properties?.[k];
    if (prop) defaultNode(prop, x[k]);
    else if (additional) defaultNode(additional, x[k]);
  }
}

/**
 * Removes `null` values of object fields whose schema is not nullable (kube's decoder does the same
 * for built-in types: `creationTimestamp: null` and `resources: null` in generated manifests are
 * common). Root `metadata` nulls are always dropped, as ObjectMeta decoding would.
 */
export function dropNulls(s: JSONSchemaProps, x: unknown, root = false): void {
  if (Array.isArray(x)) {
    if (s.items) x.forEach((v) => dropNulls(s.items!, v));
    return;
  }
  if (!isPlainObject(x)) return;
  // nulls under additionalProperties are kept (only named properties drop them), so a map of
  // scalars has nothing to visit
  if (!s.properties && !root && !(isPlainObject(s.additionalProperties) && mayChangeInside(s.additionalProperties))) return;
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.[k] ?? (isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined);
    if (root && k === 'metadata' && isPlainObject(v)) {
      for (const [mk, mv] of Object.entries(v)) if (mv === null) delete v[mk];
      continue;
    }
    if (!prop) continue;
    if (v === null && !prop.nullable && s.properties?.[k]) delete x[k];
    else dropNulls(prop, v);
  }
}
