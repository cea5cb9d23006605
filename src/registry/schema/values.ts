/**
 * Small helpers over decoded JSON values: the JSON type name kube-openapi reports, deep equality and
 * a canonical key (for enum, listType=set and listType=map comparisons).
 */
import { cloneValue, isPlainObject } from '../../machinery/objects.js';
import { canonicalJSON } from '../../machinery/json-text.js';

/** machinery's (identical predicate); re-exported for the schema code's imports. */
export { isPlainObject };

export type JSONType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** The JSON type of a decoded value, as kube-openapi names it in "must be of type" messages. */
export function jsonType(v: unknown): JSONType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean': return 'boolean';
    case 'number': return Number.isInteger(v) ? 'integer' : 'number';
    case 'bigint': return 'integer';
    case 'string': return 'string';
    default: return 'object';
  }
}

/** A canonical JSON rendering: object keys sorted, so equal values have equal keys. */
export function canonicalKey(v: unknown): string {
  return canonicalJSON(v, { undefinedAsNull: true });
}

/**
 * Equality by canonical rendering. Deliberately not machinery's deepEqual: here `undefined` (and
 * NaN) render as `null`, so `{a: undefined}` equals `{a: null}` but not `{}`; machinery's treats
 * undefined-valued keys as absent and never equates undefined with null. Callers here (enum,
 * uniqueness, immutability checks) were written against this behaviour, so it stays.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalKey(a) === canonicalKey(b);
}

/** structuredClone, not machinery's JSON round trip: keeps `undefined` values and non-JSON types. */
export function deepCopy<T>(v: T): T {
  return v === undefined ? v : cloneValue(v);
}
