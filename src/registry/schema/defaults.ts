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
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.[k];
    if (prop) defaultNode(prop, v);
    else if (isPlainObject(s.additionalProperties)) defaultNode(s.additionalProperties, v);
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
